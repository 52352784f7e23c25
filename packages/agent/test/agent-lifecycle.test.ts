import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type T = { id: string; status: { state: string; message?: { parts: { text?: string }[] } } };

describe("bounded concurrency", () => {
  it("runs at most maxConcurrentTasks handlers, queues a bounded number and refuses the rest", async () => {
    const gate = deferred();
    let running = 0;
    let peak = 0;
    h = await harness(
      (agent) =>
        agent.skill({
          id: "work",
          handler: async () => {
            running++;
            peak = Math.max(peak, running);
            await gate.promise;
            running--;
            return "ok";
          },
        }),
      { maxConcurrentTasks: 2, maxQueuedTasks: 1 },
    );
    const immediate = { returnImmediately: true };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await h.client.call("SendMessage", textMessage(`t${i}`, {}, immediate));
      ids.push((r.result as { task: T }).task.id);
    }
    await waitFor(() => running === 2);
    const refused = await h.client.call("SendMessage", textMessage("t3", {}, immediate));
    expect(refused.error?.code).toBe(-32603);
    expect(refused.error?.message).toMatch(/at capacity/);
    const queued = (await h.client.call("GetTask", { id: ids[2]! })).result as T;
    expect(queued.status.state).toBe("TASK_STATE_SUBMITTED");
    gate.resolve();
    for (const id of ids) {
      await waitFor(async () => ((await h!.client.call("GetTask", { id })).result as T).status.state === "TASK_STATE_COMPLETED");
    }
    expect(peak).toBe(2);
  });
});

describe("stop()", () => {
  it("lets a running task finish within the grace period and answers its blocking request", async () => {
    const gate = deferred();
    let started = false;
    h = await harness((agent) => agent.skill({ id: "w", handler: async () => { started = true; await gate.promise; return "finished"; } }));
    const id = await h.client.send("SendMessage", textMessage("x"));
    await waitFor(() => started);
    const stopping = h.agent.stop({ gracePeriodMs: 5000 });
    // New work is refused while stopping.
    const refused = await h.client.call("SendMessage", textMessage("late"));
    expect(refused.error?.message).toMatch(/stopping/);
    gate.resolve();
    await stopping;
    const reply = await waitFor(() => h!.client.repliesFor(id)[0]);
    expect((reply.result as { task: T }).task.status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("aborts tasks still running after the grace period; they end failed", async () => {
    let sawAbort = false;
    h = await harness((agent) =>
      agent.skill({
        id: "stuck",
        handler: (_i, ctx) =>
          new Promise((_, reject) => ctx.signal.addEventListener("abort", () => { sawAbort = true; reject(new Error("aborted")); })),
      }),
    );
    const t = (await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true }))).result as { task: T };
    await waitFor(async () => ((await h!.client.call("GetTask", { id: t.task.id })).result as T).status.state === "TASK_STATE_WORKING");
    await h.agent.stop({ gracePeriodMs: 20 });
    expect(sawAbort).toBe(true);
    const stored = await h.agent.taskStore.get(t.task.id);
    expect(stored?.status.state).toBe("TASK_STATE_FAILED");
  });
});
