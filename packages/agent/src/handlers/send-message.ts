import type { SendMessageParams, Task } from "@a2a/schema";
import type { OperationHandler } from "../operation.js";
import { prepareMessage, type PreparedMessage } from "./prepare-message.js";

/**
 * SendMessage: blocking by default (answers at the first terminal or interrupted
 * state); with `configuration.returnImmediately` answers as soon as the task exists.
 * Not an async function, and a new task is prepared without a promise: a task whose
 * handler finishes at once then costs one promise here, the one its answer waits on.
 */
export const sendMessage: OperationHandler<"SendMessage"> = {
  streaming: false,
  handle(params, { services, principal, newTaskId, requestBytes }) {
    try {
      const prepared = prepareMessage(services, params, { principal, newTaskId, requestBytes });
      const historyLength = params.configuration?.historyLength ?? services.replyHistoryLength;
      return prepared instanceof Promise ? prepared.then((p) => answer(p, params, historyLength)) : answer(prepared, params, historyLength);
    } catch (error) {
      return Promise.reject(error);
    }
  },
};

/** The reply: the task with the last `historyLength` messages of its history. */
function answer(prepared: PreparedMessage, params: SendMessageParams, historyLength: number): Promise<{ task: Task }> {
  const { live } = prepared;
  if (params.configuration?.returnImmediately === true) {
    prepared.begin();
    return Promise.resolve({ task: live.snapshot(historyLength) });
  }
  // The answer waits for the store to hold the state it reports: with a durable store,
  // a task answered as completed is found completed after a crash, never as running.
  const stopped = new Promise<{ task: Task }>((resolve) =>
    live.onNextStop((task) => live.afterSaved(() => resolve({ task })), historyLength),
  );
  prepared.begin();
  return stopped;
}
