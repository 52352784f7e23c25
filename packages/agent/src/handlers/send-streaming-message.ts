import type { OperationHandler } from "../operation.js";
import { prepareMessage } from "./prepare-message.js";
import { taskStream } from "./task-stream.js";

/** SendStreamingMessage: first the Task, then its updates until terminal or interrupted. */
export const sendStreamingMessage: OperationHandler<"SendStreamingMessage"> = {
  streaming: true,
  async handle(params, { runtime, principal, newTaskId }) {
    const prepared = await prepareMessage(runtime, params, { principal, newTaskId });
    const stream = taskStream(runtime.manager, prepared.live, () => prepared.begin(), { windows: runtime.windows });
    return { taskId: prepared.live.task.id, ...stream };
  },
};
