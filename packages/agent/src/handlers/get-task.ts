import type { OperationHandler } from "../operation.js";
import { snapshotTask } from "../task-snapshot.js";
import { visibleTask } from "./visible-task.js";

/** GetTask: the task with its last `historyLength` messages (all when unset, none for 0). */
export const getTask: OperationHandler<"GetTask"> = {
  streaming: false,
  async handle(params, ctx) {
    const task = await visibleTask(ctx, params.id);
    return snapshotTask(task, params.historyLength);
  },
};
