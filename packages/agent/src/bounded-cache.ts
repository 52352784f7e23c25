export interface BoundedCacheOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** Milliseconds an entry lives after it was set. */
  ttlMs: number;
  /** @default Date.now */
  now?: () => number;
}

/** A least-recently-used map with a size bound and a time to live. */
export class BoundedCache<V> {
  readonly #entries = new Map<string, { value: V; expires: number }>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(options: BoundedCacheOptions) {
    this.#max = Math.max(1, options.maxEntries);
    this.#ttl = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-insert so that Map order stays least-recently-used first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + this.#ttl });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
