import { afterEach, describe, expect, it } from "vitest";
import { A2AProtocolError } from "@a2a/schema";
import { waitFor } from "@a2a/testing";
import { defaultHandlers, type OperationHandler } from "@a2a/agent";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type T = { id: string; status: { state: string }; metadata?: Record<string, unknown> };

/** GetTask replaced: the task as the default handler answers it, marked with whether it runs here. */
const getTaskMarked: OperationHandler<"GetTask"> = {
  streaming: false,
  async handle(params, ctx) {
    const live = ctx.services.liveTask(params.id, ctx.principal);
    const task = live?.snapshot() ?? (await ctx.services.findTask(params.id, ctx.principal));
    if (task === undefined) throw A2AProtocolError.taskNotFound(params.id);
    return { ...task, metadata: { running: live !== undefined && !live.ended } };
  },
};

describe("operation handlers on the agent's services", () => {
  it("see the tasks of the request's principal only, running and stored", async () => {
    const gate = deferred();
    h = await harness(
      (agent) =>
        agent.skill({
          id: "slow",
          handler: async () => {
            await gate.promise;
            return "done";
          },
        }),
      { operations: { GetTask: getTaskMarked } },
    );
    const created = (await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true }))).result as { task: T };
    const id = created.task.id;
    const running = (await h.client.call("GetTask", { id })).result as T;
    expect(running.metadata).toEqual({ running: true });

    const other = await h.newClient();
    expect((await other.call("GetTask", { id })).error).toMatchObject({ code: -32001 });

    gate.resolve();
    const finished = await waitFor(
      async () => {
        const task = (await h!.client.call("GetTask", { id })).result as T;
        return task.status.state === "TASK_STATE_COMPLETED" ? task : undefined;
      },
      { message: "the task completed" },
    );
    expect(finished).toMatchObject({ status: { state: "TASK_STATE_COMPLETED" }, metadata: { running: false } });
    expect((await other.call("GetTask", { id })).error).toMatchObject({ code: -32001 });
  });

  it("are all listed by defaultHandlers(), one per operation", () => {
    expect(Object.keys(defaultHandlers()).sort()).toEqual(
      [
        "CancelTask",
        "CreateTaskPushNotificationConfig",
        "DeleteTaskPushNotificationConfig",
        "GetExtendedAgentCard",
        "GetTask",
        "GetTaskPushNotificationConfig",
        "ListTaskPushNotificationConfigs",
        "ListTasks",
        "SendMessage",
        "SendStreamingMessage",
        "SubscribeToTask",
      ].sort(),
    );
  });
});
