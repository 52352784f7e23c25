import type { Task, TaskState } from "@a2a/schema";
import type { MemoryBudget } from "./memory-budget.js";
import type { StoredPushConfig } from "./push/push-config-store.js";

/** Which tasks {@link TaskStore.list} returns. */
export interface TaskFilter {
  contextId?: string;
  state?: TaskState;
  /** Only tasks whose status timestamp is at or after this ISO 8601 time. */
  statusTimestampAfter?: string;
}

/**
 * Where an agent keeps its tasks. The agent calls `save` after every change of a task
 * with the same (mutated) object, so an in-process store may keep the reference; a
 * store that persists elsewhere serialises it. Implementations must bound their size.
 */
export interface TaskStore {
  get(taskId: string): Promise<Task | undefined>;
  /**
   * @param bytes the agent's estimate of the task's size (as the memory budget counts
   *   it), given for the tasks it runs: a store counting memory need not measure them.
   */
  save(task: Task, bytes?: number): Promise<void>;
  /** Matching tasks, newest status timestamp first. */
  list(filter: TaskFilter): Promise<Task[]>;
  delete(taskId: string): Promise<void>;
  /**
   * Counts the tasks held in memory against the agent's budget, giving terminal ones
   * back when it needs room. Optional: a store keeping its tasks elsewhere has none to count.
   */
  useMemoryBudget?(budget: MemoryBudget): void;
  /**
   * Keeps the push notification configs of a task (an empty list removes them), so that
   * a restarted agent keeps notifying. Optional: without it configs live in memory only.
   * Configs of a task the store drops go with it.
   */
  savePushConfigs?(taskId: string, configs: readonly StoredPushConfig[]): Promise<void>;
  /** Every push notification config kept by {@link savePushConfigs}. */
  loadPushConfigs?(): Promise<StoredPushConfig[]>;
}
