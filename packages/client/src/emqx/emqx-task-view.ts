import type { Artifact, Message, Task, TaskStatus } from "@a2a/schema";
import { isJsonObject } from "@a2a/transport/binding";
import { A2AClientError } from "../errors.js";

/** Items and payload bytes one Task is folded from at most; past either, OVERFLOW. */
export const MAX_FOLDED_ITEMS = 10_000;
export const MAX_FOLDED_BYTES = 64 * 1024 * 1024;

/**
 * A Task built from stream items. The reference SDK answers SendMessage not with a Task
 * but with a stream of events (a SUBMITTED status update first, artifact updates, a
 * final status update); the client folds them into the Task a SendMessage resolves with.
 * It also answers CancelTask with a status update rather than the Task.
 */
export class EmqxTaskView {
  #task: Task | undefined;
  #items = 0;
  #bytes = 0;

  constructor(readonly taskId: string, readonly contextId: string | undefined, readonly sent?: Message) {}

  get task(): Task | undefined {
    return this.#task;
  }

  /** Folds one `result` (of `bytes` payload bytes) in; returns the Task as it now stands (undefined for a Message). */
  add(result: unknown, bytes = 0): Task | undefined {
    if (!isJsonObject(result)) return this.#task;
    // An agent sending events without end must not grow the client's memory without bound.
    if (++this.#items > MAX_FOLDED_ITEMS || (this.#bytes += bytes) > MAX_FOLDED_BYTES) {
      throw new A2AClientError("OVERFLOW", `Task ${this.taskId} came as more than ${MAX_FOLDED_ITEMS} events or ${MAX_FOLDED_BYTES} bytes of them; the call was ended.`);
    }
    if (isJsonObject(result.task)) return (this.#task = result.task as unknown as Task);
    const task = (this.#task ??= this.#empty());
    if (isJsonObject(result.statusUpdate)) {
      const update = result.statusUpdate as { status?: TaskStatus; contextId?: string };
      if (update.status !== undefined) task.status = update.status;
      if (typeof update.contextId === "string" && update.contextId !== "") task.contextId ??= update.contextId;
      if (update.status?.message !== undefined) {
        if (!Array.isArray(task.history)) task.history = [];
        task.history.push(update.status.message);
      }
    } else if (isJsonObject(result.artifactUpdate)) {
      const update = result.artifactUpdate as { artifact?: Artifact; append?: boolean };
      if (update.artifact !== undefined) appendArtifact(task, update.artifact, update.append === true);
    }
    return task;
  }

  #empty(): Task {
    const task: Task = { id: this.taskId, status: { state: "TASK_STATE_SUBMITTED" } };
    if (this.contextId !== undefined) task.contextId = this.contextId;
    if (this.sent !== undefined) task.history = [this.sent];
    return task;
  }
}

function appendArtifact(task: Task, artifact: Artifact, append: boolean): void {
  // Malformed items are left out: the Task check at the end names what is wrong.
  if (!Array.isArray(artifact.parts)) return;
  if (!Array.isArray(task.artifacts)) task.artifacts = [];
  const artifacts = task.artifacts;
  const existing = artifacts.find((a) => isJsonObject(a) && a.artifactId === artifact.artifactId);
  if (existing === undefined) artifacts.push(artifact);
  else if (append && Array.isArray(existing.parts)) for (const part of artifact.parts) existing.parts.push(part);
  else artifacts[artifacts.indexOf(existing)] = artifact;
}
