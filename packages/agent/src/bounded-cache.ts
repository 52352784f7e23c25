import { createHash } from "node:crypto";

export interface BoundedCacheOptions<V> {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Milliseconds an entry lives after it was set. */
  ttlMs: number;
  /**
   * Most weight (e.g. bytes) kept, keys included; the least recently used entries go
   * first. An entry heavier than this on its own is not kept.
   * @default Infinity
   */
  maxWeight?: number;
  /** The weight of a value, possibly known only later (a pending outcome). @default 0 */
  weightOf?: (value: V) => number | Promise<number>;
  /** @default Date.now */
  now?: () => number;
}

/** Keys longer than this are kept as a digest: a request id may be as long as its payload. */
const MAX_KEY_LENGTH = 256;

interface Entry<V> {
  value: V;
  expires: number;
  weight: number;
}

/** A least-recently-used map with a size bound, a weight bound and a time to live. */
export class BoundedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #maxWeight: number;
  readonly #weightOf: ((value: V) => number | Promise<number>) | undefined;
  readonly #now: () => number;
  #weight = 0;

  constructor(options: BoundedCacheOptions<V>) {
    this.#max = Math.max(1, options.maxEntries);
    this.#ttl = options.ttlMs;
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    this.#weightOf = options.weightOf;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The weight held now (keys and known value weights). */
  get weight(): number {
    return this.#weight;
  }

  get(key: string): V | undefined {
    const k = storedKey(key);
    const entry = this.#entries.get(k);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#remove(k);
      return undefined;
    }
    // Re-insert so that Map order stays least-recently-used first.
    this.#entries.delete(k);
    this.#entries.set(k, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    const k = storedKey(key);
    this.#remove(k);
    const entry: Entry<V> = { value, expires: this.#now() + this.#ttl, weight: k.length };
    this.#entries.set(k, entry);
    this.#weight += entry.weight;
    const weight = this.#weightOf?.(value);
    if (typeof weight === "number") this.#addWeight(k, entry, weight);
    else if (weight !== undefined) {
      weight.then(
        (w) => this.#addWeight(k, entry, w),
        () => undefined,
      );
    }
    this.#evict();
  }

  delete(key: string): void {
    this.#remove(storedKey(key));
  }

  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  #addWeight(k: string, entry: Entry<V>, weight: number): void {
    // The entry may have been replaced or evicted while its weight was pending.
    if (this.#entries.get(k) !== entry) return;
    entry.weight += weight;
    this.#weight += weight;
    this.#evict();
  }

  #remove(k: string): void {
    const entry = this.#entries.get(k);
    if (entry === undefined) return;
    this.#entries.delete(k);
    this.#weight -= entry.weight;
  }

  #evict(): void {
    while (this.#entries.size > this.#max || (this.#weight > this.#maxWeight && this.#entries.size > 0)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value);
    }
  }
}

function storedKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `sha256:${createHash("sha256").update(key).digest("base64")}`;
}
