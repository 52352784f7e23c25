import { isTerminalState, type Task } from "@a2a/schema";
import { matchesFilter, newestFirst } from "./task-filter.js";
import type { TaskFilter, TaskStore } from "./task-store.js";
import { RecencyList, type RecencyLinks } from "./recency-list.js";
import { taskBytes, type MemoryBudget } from "./memory-budget.js";

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
  /**
   * Called with the id of each task the retention policy drops (not for `delete()`):
   * a store that keeps its tasks elsewhere too forgets them there.
   */
  onEvict?: (taskId: string) => void;
  /**
   * The bytes budget the tasks count against; terminal tasks are evicted oldest first
   * when something needs room. An agent hands its own budget over (see {@link useMemoryBudget}).
   */
  memoryBudget?: MemoryBudget;
}

/** Linked from the entry saved before it (`older`) to the one saved after (`newer`). */
interface Entry extends RecencyLinks<Entry> {
  task: Task;
  updated: number;
  /** Estimated size, as charged to the budget. */
  bytes: number;
}

/** The default {@link TaskStore}: a bounded map, holding references (no copies). */
export class InMemoryTaskStore implements TaskStore {
  readonly #entries = new Map<string, Entry>();
  // Least-recently-saved first, for eviction: a list beside the Map, since walking a V8
  // Map from its start also walks the slots of every entry deleted since its last rehash.
  readonly #order = new RecencyList<Entry>();
  readonly #maxTasks: number;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #onEvict: ((taskId: string) => void) | undefined;
  #budget: MemoryBudget | undefined;
  #lastSweep = 0;

  constructor(options: InMemoryTaskStoreOptions = {}) {
    this.#maxTasks = Math.max(1, options.maxTasks ?? 10_000);
    this.#ttl = options.terminalTtlMs ?? 3_600_000;
    this.#now = options.now ?? Date.now;
    this.#onEvict = options.onEvict;
    if (options.memoryBudget !== undefined) this.useMemoryBudget(options.memoryBudget);
  }

  /**
   * Counts the tasks against `budget` from now on; terminal tasks are given back, oldest
   * first, when new work needs room. Called by the agent with its budget.
   */
  useMemoryBudget(budget: MemoryBudget): void {
    if (this.#budget === budget) return;
    let held = 0;
    for (const entry of this.#entries.values()) held += entry.bytes;
    this.#budget?.release(held);
    this.#budget = budget;
    budget.charge(held);
    budget.addReclaimer((bytes) => this.#reclaim(bytes));
  }

  /** Estimated bytes of the tasks held. */
  get bytes(): number {
    let held = 0;
    for (const entry of this.#entries.values()) held += entry.bytes;
    return held;
  }

  get size(): number {
    return this.#entries.size;
  }

  async get(taskId: string): Promise<Task | undefined> {
    const entry = this.#entries.get(taskId);
    if (entry === undefined) return undefined;
    if (this.#expired(entry, this.#now())) {
      this.#evict(entry);
      return undefined;
    }
    return entry.task;
  }

  async save(task: Task, bytes?: number): Promise<void> {
    this.saveNow(task, bytes);
  }

  /** @internal {@link save} without its promise: the agent's live tasks save this way. */
  saveNow(task: Task, bytes?: number): void {
    const now = this.#now();
    this.#put(task, now, bytes);
    // Sweeping is O(n); doing it at most once a second keeps save O(1) amortised.
    if (now - this.#lastSweep >= 1000) this.#sweep(now);
    this.#evictOverflow();
  }

  /**
   * Puts back a task last saved at `updated` (e.g. read from disk) as the most recent
   * entry, without applying the retention policy; see {@link applyRetention}.
   */
  restore(task: Task, updated: number): void {
    this.#put(task, updated, undefined);
  }

  /** Drops what the retention policy says to drop, now. */
  applyRetention(): void {
    this.#sweep(this.#now());
    this.#evictOverflow();
  }

  /** Every task with the time of its last save, least recently saved first. */
  *bySaveTime(): IterableIterator<{ task: Task; updated: number }> {
    for (let entry = this.#order.oldest; entry !== undefined; entry = entry.newer) yield { task: entry.task, updated: entry.updated };
  }

  /** Keeps the task as the most recent entry; `size` is its estimate when its saver keeps one. */
  #put(task: Task, now: number, size: number | undefined): void {
    let entry = this.#entries.get(task.id);
    const bytes = size ?? taskBytes(task);
    if (entry === undefined) {
      entry = { task, updated: now, bytes, older: undefined, newer: undefined };
      this.#entries.set(task.id, entry);
      this.#budget?.charge(bytes);
    } else {
      entry.task = task;
      entry.updated = now;
      this.#budget?.charge(bytes - entry.bytes);
      entry.bytes = bytes;
      this.#order.unlink(entry);
    }
    this.#order.append(entry);
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
    const entry = this.#entries.get(taskId);
    if (entry !== undefined) this.#remove(entry);
  }

  #expired(entry: { task: Task; updated: number }, now: number): boolean {
    return isTerminalState(entry.task.status.state) && now - entry.updated >= this.#ttl;
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    // Oldest save first: the walk ends at the first task saved within the TTL.
    for (let entry = this.#order.oldest; entry !== undefined && now - entry.updated >= this.#ttl; ) {
      const newer = entry.newer;
      if (isTerminalState(entry.task.status.state)) this.#evict(entry);
      entry = newer;
    }
  }

  #evictOverflow(): void {
    if (this.#entries.size <= this.#maxTasks) return;
    for (let entry = this.#order.oldest; entry !== undefined && this.#entries.size > this.#maxTasks; ) {
      const newer = entry.newer;
      if (isTerminalState(entry.task.status.state)) this.#evict(entry);
      entry = newer;
    }
    while (this.#order.oldest !== undefined && this.#entries.size > this.#maxTasks) this.#evict(this.#order.oldest);
  }

  /** Evicts terminal tasks, least recently saved first, until `bytes` are freed. */
  #reclaim(bytes: number): number {
    let freed = 0;
    for (let entry = this.#order.oldest; entry !== undefined && freed < bytes; ) {
      const newer = entry.newer;
      if (isTerminalState(entry.task.status.state)) {
        freed += entry.bytes;
        this.#evict(entry);
      }
      entry = newer;
    }
    return freed;
  }

  #evict(entry: Entry): void {
    this.#remove(entry);
    this.#onEvict?.(entry.task.id);
  }

  #remove(entry: Entry): void {
    if (this.#entries.get(entry.task.id) !== entry) return;
    this.#entries.delete(entry.task.id);
    this.#order.unlink(entry);
    this.#budget?.release(entry.bytes);
  }
}
