import { createHash } from "node:crypto";
import { RecencyList, type RecencyLinks } from "./recency-list.js";
import type { MemoryBudget } from "./memory-budget.js";

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
  /** A budget the weight also counts against; the oldest entries are given back when it needs room. */
  memoryBudget?: MemoryBudget;
}

/** Keys longer than this are kept as a digest: a request id may be as long as its payload. */
const MAX_KEY_LENGTH = 256;

interface Entry<V> extends RecencyLinks<Entry<V>> {
  key: string;
  value: V;
  expires: number;
  weight: number;
}

/**
 * A least-recently-used map with a size bound, a weight bound and a time to live.
 *
 * The recency order is a linked list beside the Map, not the Map's own insertion
 * order: finding a V8 Map's oldest entry walks over the slots of every entry deleted
 * since its last rehash, thousands of them in a full cache under load.
 */
export class BoundedCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #maxWeight: number;
  readonly #weightOf: ((value: V) => number | Promise<number>) | undefined;
  readonly #now: () => number;
  #weight = 0;
  readonly #order = new RecencyList<Entry<V>>();
  readonly #budget: MemoryBudget | undefined;

  constructor(options: BoundedCacheOptions<V>) {
    this.#max = Math.max(1, options.maxEntries);
    this.#ttl = options.ttlMs;
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
    this.#weightOf = options.weightOf;
    this.#now = options.now ?? Date.now;
    this.#budget = options.memoryBudget;
    this.#budget?.addReclaimer((bytes) => this.#reclaim(bytes));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The weight held now (keys and known value weights). */
  get weight(): number {
    return this.#weight;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(storedKey(key));
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#remove(entry);
      return undefined;
    }
    this.#order.unlink(entry);
    this.#order.append(entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    const k = storedKey(key);
    const previous = this.#entries.get(k);
    if (previous !== undefined) this.#remove(previous);
    const entry: Entry<V> = { key: k, value, expires: this.#now() + this.#ttl, weight: k.length, older: undefined, newer: undefined };
    this.#entries.set(k, entry);
    this.#order.append(entry);
    this.#weight += entry.weight;
    this.#budget?.charge(entry.weight);
    const weight = this.#weightOf?.(value);
    if (typeof weight === "number") this.#addWeight(entry, weight);
    else if (weight !== undefined) {
      weight.then(
        (w) => this.#addWeight(entry, w),
        () => undefined,
      );
    }
    this.#evict();
  }

  /** Adds `weight` to the entry under `key` if it still holds `value` (a weight known only later, without a promise). */
  addWeight(key: string, value: V, weight: number): void {
    const entry = this.#entries.get(storedKey(key));
    if (entry !== undefined && entry.value === value) this.#addWeight(entry, weight);
  }

  delete(key: string): void {
    const entry = this.#entries.get(storedKey(key));
    if (entry !== undefined) this.#remove(entry);
  }

  clear(): void {
    this.#budget?.release(this.#weight);
    this.#entries.clear();
    this.#weight = 0;
    this.#order.clear();
  }

  #addWeight(entry: Entry<V>, weight: number): void {
    // The entry may have been replaced or evicted while its weight was pending.
    if (this.#entries.get(entry.key) !== entry) return;
    entry.weight += weight;
    this.#weight += weight;
    this.#budget?.charge(weight);
    this.#evict();
  }

  #remove(entry: Entry<V>): void {
    this.#entries.delete(entry.key);
    this.#order.unlink(entry);
    this.#weight -= entry.weight;
    this.#budget?.release(entry.weight);
  }

  /** Forgets the least recently used entries until `bytes` are freed. */
  #reclaim(bytes: number): number {
    let freed = 0;
    while (this.#order.oldest !== undefined && freed < bytes) {
      freed += this.#order.oldest.weight;
      this.#remove(this.#order.oldest);
    }
    return freed;
  }

  #evict(): void {
    while (this.#order.oldest !== undefined && (this.#entries.size > this.#max || this.#weight > this.#maxWeight)) {
      this.#remove(this.#order.oldest);
    }
  }
}

function storedKey(key: string): string {
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `sha256:${createHash("sha256").update(key).digest("base64")}`;
}
