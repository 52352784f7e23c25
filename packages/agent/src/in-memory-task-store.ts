import { isTerminalState, type Task } from "@a2a/schema";
import { matchesFilter, newestFirst } from "./task-filter.js";
import type { TaskFilter, TaskStore } from "./task-store.js";

export interface InMemoryTaskStoreOptions {
  /**
   * Most tasks kept. Beyond it the oldest terminal tasks are evicted first, then the
   * oldest of the rest.
   * @default 10000
   */
  maxTasks?: number;
  /**
   * Milliseconds a terminal task is kept after its last change.
   * @default 3600000 (one hour)
   */
  terminalTtlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

interface Entry {
  task: Task;
  updated: number;
}

/** The default {@link TaskStore}: a bounded map, holding references (no copies). */
export class InMemoryTaskStore implements TaskStore {
  // Map order is least-recently-saved first, so eviction scans from the front.
  readonly #entries = new Map<string, Entry>();
  readonly #maxTasks: number;
  readonly #ttl: number;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.#maxTasks = Math.max(1, options.maxTasks ?? 10_000);
    this.#ttl = options.terminalTtlMs ?? 3_600_000;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(taskId: string): Promise<Task | undefined> {
    const entry = this.#entries.get(taskId);
    if (entry === undefined) return undefined;
    if (this.#expired(entry, this.#now())) {
      this.#entries.delete(taskId);
      return undefined;
    }
    return entry.task;
  }

  async save(task: Task): Promise<void> {
    const now = this.#now();
    this.#entries.delete(task.id);
    this.#entries.set(task.id, { task, updated: now });
    // Sweeping is O(n); doing it at most once a second keeps save O(1) amortised.
    if (now - this.#lastSweep >= 1000) this.#sweep(now);
    this.#evictOverflow();
  }

  async list(filter: TaskFilter): Promise<Task[]> {
    const now = this.#now();
    const out: Task[] = [];
    const afterMs = filter.statusTimestampAfter === undefined ? undefined : Date.parse(filter.statusTimestampAfter);
    for (const { task, updated } of this.#entries.values()) {
      if (this.#expired({ task, updated }, now)) continue;
      if (matchesFilter(task, filter, afterMs)) out.push(task);
    }
    return out.sort(newestFirst);
  }

  async delete(taskId: string): Promise<void> {
    this.#entries.delete(taskId);
  }

  #expired(entry: Entry, now: number): boolean {
    return isTerminalState(entry.task.status.state) && now - entry.updated >= this.#ttl;
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [id, entry] of this.#entries) if (this.#expired(entry, now)) this.#entries.delete(id);
  }

  #evictOverflow(): void {
    if (this.#entries.size <= this.#maxTasks) return;
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxTasks) return;
      if (isTerminalState(entry.task.status.state)) this.#entries.delete(id);
    }
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxTasks) return;
      this.#entries.delete(id);
    }
  }
}
