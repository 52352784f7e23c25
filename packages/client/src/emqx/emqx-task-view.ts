import type { Artifact, Message, Task, TaskStatus } from "@a2a/schema";
import { isJsonObject } from "@a2a/transport/binding";

/**
 * A Task built from stream items. The reference SDK answers SendMessage not with a Task
 * but with a stream of events (a SUBMITTED status update first, artifact updates, a
 * final status update); the client folds them into the Task a SendMessage resolves with.
 * It also answers CancelTask with a status update rather than the Task.
 */
export class EmqxTaskView {
  #task: Task | undefined;

  constructor(readonly taskId: string, readonly contextId: string | undefined, readonly sent?: Message) {}

  get task(): Task | undefined {
    return this.#task;
  }

  /** Folds one `result` in; returns the Task as it now stands (undefined for a Message). */
  add(result: unknown): Task | undefined {
    if (!isJsonObject(result)) return this.#task;
    if (isJsonObject(result.task)) return (this.#task = result.task as unknown as Task);
    const task = (this.#task ??= this.#empty());
    if (isJsonObject(result.statusUpdate)) {
      const update = result.statusUpdate as { status?: TaskStatus; contextId?: string };
      if (update.status !== undefined) task.status = update.status;
      if (typeof update.contextId === "string" && update.contextId !== "") task.contextId ??= update.contextId;
      if (update.status?.message !== undefined) (task.history ??= []).push(update.status.message);
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
  const artifacts = (task.artifacts ??= []);
  const existing = artifacts.find((a) => a.artifactId === artifact.artifactId);
  if (existing === undefined) artifacts.push(artifact);
  else if (append) existing.parts = [...existing.parts, ...artifact.parts];
  else artifacts[artifacts.indexOf(existing)] = artifact;
}
