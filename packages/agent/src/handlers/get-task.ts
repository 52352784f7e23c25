import { taskNotFound } from "@a2a/schema";
import { fromJsonRpcError } from "@a2a/transport/binding";
import type { OperationHandler } from "../operation.js";

/** GetTask: the task with its last `historyLength` messages (all when unset, none for 0). */
export const getTask: OperationHandler<"GetTask"> = {
  streaming: false,
  async handle(params, { runtime }) {
    const task = await runtime.manager.get(params.id);
    if (task === undefined) throw fromJsonRpcError(taskNotFound(params.id));
    return runtime.manager.snapshot(task, params.historyLength);
  },
};
