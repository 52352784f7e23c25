import type { Task, TaskState } from "@a2a/schema";

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
  save(task: Task): Promise<void>;
  /** Matching tasks, newest status timestamp first. */
  list(filter: TaskFilter): Promise<Task[]>;
  delete(taskId: string): Promise<void>;
}
