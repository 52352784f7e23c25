import type { OperationHandler } from "../operation.js";
import { prepareMessage } from "./prepare-message.js";
import { taskStream } from "./task-stream.js";

/** SendStreamingMessage: first the Task, then its updates until terminal or interrupted. */
export const sendStreamingMessage: OperationHandler<"SendStreamingMessage"> = {
  streaming: true,
  async handle(params, { services, principal, newTaskId, requestBytes }) {
    const prepared = await prepareMessage(services, params, { principal, newTaskId, requestBytes });
    const stream = taskStream(prepared.live, { begin: () => prepared.begin(), windows: services.windows });
    return { taskId: prepared.live.task.id, ...stream };
  },
};
