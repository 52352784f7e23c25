import { isTerminalState, taskNotCancelable, taskNotFound } from "@a2a/schema";
import { fromJsonRpcError } from "@a2a/transport/binding";
import type { OperationHandler } from "../operation.js";

/** CancelTask: a running or input-required task becomes CANCELED; a finished one is -32002. */
export const cancelTask: OperationHandler<"CancelTask"> = {
  streaming: false,
  async handle(params, { runtime }) {
    const { manager } = runtime;
    const live = manager.live(params.id);
    if (live !== undefined && !isTerminalState(live.task.status.state)) {
      manager.cancel(live);
      return manager.snapshot(live.task);
    }
    const task = live?.task ?? (await manager.store.get(params.id));
    if (task === undefined) throw fromJsonRpcError(taskNotFound(params.id));
    if (isTerminalState(task.status.state)) throw fromJsonRpcError(taskNotCancelable(params.id, task.status.state));
    // Stored but not running here (e.g. kept by a persistent store across a restart).
    task.status = { state: "TASK_STATE_CANCELED", timestamp: new Date().toISOString() };
    await manager.store.save(task);
    return manager.snapshot(task);
  },
};
