import type { Message, Task, TaskState } from "@a2a/schema";
import type { TaskStore } from "./task-store.js";

/** The status message of tasks found unfinished when an agent starts. */
export const RESTART_FAILURE_TEXT = "The agent restarted while the task was running";

const UNFINISHED: TaskState[] = ["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_AUTH_REQUIRED"];

/**
 * Marks every unfinished task of a store as failed. Called when an agent starts: a
 * task left by an earlier run has no handler any more (its process is gone), so the
 * honest state is failed, with a status message saying why (`onFailed` sees each one,
 * e.g. to notify its push configs). Returns how many changed.
 */
export async function failUnfinishedTasks(
  store: TaskStore,
  text = RESTART_FAILURE_TEXT,
  onFailed?: (task: Task) => void,
): Promise<number> {
  let changed = 0;
  for (const state of UNFINISHED) {
    for (const task of await store.list({ state })) {
      const message: Message = { messageId: crypto.randomUUID(), role: "ROLE_AGENT", parts: [{ text }], taskId: task.id };
      if (task.contextId !== undefined) message.contextId = task.contextId;
      task.status = { state: "TASK_STATE_FAILED", message, timestamp: new Date().toISOString() };
      task.history?.push(message);
      await store.save(task);
      onFailed?.(task);
      changed++;
    }
  }
  return changed;
}
