/** A node of a {@link RecencyList}: the list's links live on the caller's own entry. */
export interface RecencyLinks<E> {
  older: E | undefined;
  newer: E | undefined;
}

/**
 * Entries in the order they were last appended, oldest first, with constant-time
 * append and removal. The caches and stores of the agent evict from the old end; the
 * links live on their entries, so keeping the order allocates nothing.
 */
export class RecencyList<E extends RecencyLinks<E>> {
  oldest: E | undefined;
  newest: E | undefined;

  /** Makes `entry` (not in the list) the newest. */
  append(entry: E): void {
    entry.older = this.newest;
    entry.newer = undefined;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest.newer = entry;
    this.newest = entry;
  }

  /** Takes `entry` (in the list) out. */
  unlink(entry: E): void {
    if (entry.older === undefined) this.oldest = entry.newer;
    else entry.older.newer = entry.newer;
    if (entry.newer === undefined) this.newest = entry.older;
    else entry.newer.older = entry.older;
    entry.older = undefined;
    entry.newer = undefined;
  }

  clear(): void {
    this.oldest = undefined;
    this.newest = undefined;
  }
}
