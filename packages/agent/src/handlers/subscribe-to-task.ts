import { isTerminalState, A2AProtocolError } from "@a2a/schema";
import type { OperationHandler } from "../operation.js";
import { resumePoint, resumeStream } from "./resume-stream.js";
import { taskStream } from "./task-stream.js";
import { visibleLive, visibleTask } from "./visible-task.js";

/** SubscribeToTask: first the current Task, then its updates; a terminal task is -32004. */
export const subscribeToTask: OperationHandler<"SubscribeToTask"> = {
  streaming: true,
  async handle(params, ctx) {
    const after = resumePoint(params.metadata);
    if (after !== undefined) return resumeStream(ctx, params.id, after);
    const live = visibleLive(ctx, params.id);
    const task = live?.task ?? (await visibleTask(ctx, params.id));
    if (isTerminalState(task.status.state)) {
      throw A2AProtocolError.unsupportedOperation(`task ${params.id} is ${task.status.state}; read it with GetTask`);
    }
    const current = visibleLive(ctx, params.id);
    if (current === undefined) {
      throw A2AProtocolError.unsupportedOperation(`task ${params.id} is no longer running on this agent; read it with GetTask`);
    }
    return { taskId: params.id, ...taskStream(current, { windows: ctx.services.windows }) };
  },
};
