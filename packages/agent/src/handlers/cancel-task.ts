import { isTerminalState, A2AProtocolError } from "@a2a/schema";
import type { OperationHandler } from "../operation.js";
import { snapshotTask } from "../task-snapshot.js";
import { visibleLive, visibleTask } from "./visible-task.js";

/** CancelTask: a running or input-required task becomes CANCELED; a finished one is -32002. */
export const cancelTask: OperationHandler<"CancelTask"> = {
  streaming: false,
  async handle(params, ctx) {
    const live = visibleLive(ctx, params.id);
    if (live !== undefined && !live.ended) {
      live.cancel();
      return live.snapshot();
    }
    const task = live?.task ?? (await visibleTask(ctx, params.id));
    if (isTerminalState(task.status.state)) throw A2AProtocolError.taskNotCancelable(params.id, task.status.state);
    // Stored but not running here (e.g. kept by a persistent store across a restart).
    task.status = { state: "TASK_STATE_CANCELED", timestamp: new Date().toISOString() };
    await ctx.services.saveTask(task);
    return snapshotTask(task);
  },
};
