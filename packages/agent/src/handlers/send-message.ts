import type { OperationHandler } from "../operation.js";
import { snapshotTask } from "../task-snapshot.js";
import { prepareMessage } from "./prepare-message.js";

/**
 * SendMessage: blocking by default (answers at the first terminal or interrupted
 * state); with `configuration.returnImmediately` answers as soon as the task exists.
 */
export const sendMessage: OperationHandler<"SendMessage"> = {
  streaming: false,
  async handle(params, { services, principal }) {
    const prepared = await prepareMessage(services, params, { principal });
    const historyLength = params.configuration?.historyLength;
    if (params.configuration?.returnImmediately === true) {
      prepared.begin();
      return { task: prepared.live.snapshot(historyLength) };
    }
    const stopped = prepared.live.nextStop();
    prepared.begin();
    // nextStop already hands out a copy; it needs copying again only to cut its history.
    // A callback rather than an await, so that a long task keeps little of this call.
    // The answer waits for the store to hold the state it reports: with a durable store,
    // a task answered as completed is found completed after a crash, never as running.
    const { live } = prepared;
    return stopped.then((task) =>
      live.saving.then(() => ({ task: historyLength === undefined ? task : snapshotTask(task, historyLength) })),
    );
  },
};
