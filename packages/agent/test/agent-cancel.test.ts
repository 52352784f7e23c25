import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type T = { id: string; status: { state: string } };

describe("CancelTask", () => {
  it("cancels a working task, aborts ctx.signal and ends its stream", async () => {
    let aborted = false;
    let started = false;
    h = await harness((agent) =>
      agent.skill({
        id: "forever",
        handler: async (_i, ctx) => {
          started = true;
          await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
          aborted = true;
          return "ignored";
        },
      }),
    );
    const streamId = await h.client.send("SendStreamingMessage", textMessage("go"));
    const first = await waitFor(() => h!.client.repliesFor(streamId)[0]);
    await waitFor(() => started);
    const taskId = (first.result as { task: T }).task.id;
    const canceled = await h.client.call("CancelTask", { id: taskId });
    expect((canceled.result as T).status.state).toBe("TASK_STATE_CANCELED");
    await waitFor(() => aborted, { message: "the handler to see the abort" });
    const frames = await h.client.frames(streamId);
    expect((frames.at(-1)!.result as { statusUpdate: T }).statusUpdate.status.state).toBe("TASK_STATE_CANCELED");
    const after = (await h.client.call("GetTask", { id: taskId })).result as T;
    expect(after.status.state).toBe("TASK_STATE_CANCELED");
  });

  it("cancels an input-required task", async () => {
    h = await harness((agent) => agent.skill({ id: "ask", handler: async (_i, ctx) => ctx.requestInput("?") }));
    const t = (await h.client.call("SendMessage", textMessage("x"))).result as { task: T };
    expect(t.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const c = await h.client.call("CancelTask", { id: t.task.id });
    expect((c.result as T).status.state).toBe("TASK_STATE_CANCELED");
  });

  it("answers -32002 for a completed task and -32001 for an unknown one", async () => {
    h = await harness((agent) => agent.registerTool(function echo() { return "x"; }));
    const t = (await h.client.call("SendMessage", textMessage("x"))).result as { task: T };
    const c = await h.client.call("CancelTask", { id: t.task.id });
    expect(c.error?.code).toBe(-32002);
    expect((c.error?.data as { reason: string }[])[0]?.reason).toBe("TASK_NOT_CANCELABLE");
    expect((await h.client.call("CancelTask", { id: "missing" })).error?.code).toBe(-32001);
  });
});
