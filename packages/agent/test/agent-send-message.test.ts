import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { waitFor } from "@a2a/testing";
import { harness, textMessage, deferred, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type TaskLike = {
  id: string;
  contextId: string;
  status: { state: string; message?: { parts: unknown[] } };
  artifacts?: { parts: unknown[] }[];
  history?: { messageId: string; role: string }[];
};
const taskOf = (reply: { result?: unknown }): TaskLike => (reply.result as { task: TaskLike }).task;

describe("SendMessage", () => {
  it("runs the quick start's echo tool and completes with a text artifact", async () => {
    h = await harness((agent) => agent.registerTool(function echo(params) { return `Echo: ${String(params.message)}`; }));
    const reply = await h.client.call("SendMessage", textMessage("hello"));
    const task = taskOf(reply);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts?.[0]?.parts).toEqual([{ text: "Echo: hello" }]);
    expect(task.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.contextId).toMatch(/^[0-9a-f-]{36}$/);
    // The reply carries no history unless asked for: the requester sent the message itself.
    expect(task.history).toBeUndefined();
  });

  it("answers with the history configuration.historyLength asks for, or replyHistoryLength's, none by default", async () => {
    h = await harness((agent) => agent.skill({ id: "ask", handler: async (_input, ctx) => { await ctx.requestInput("name?"); return "hi"; } }));
    const asked = taskOf(await h.client.call("SendMessage", textMessage("start", {}, { historyLength: 5 })));
    expect(asked.history?.map((m) => m.role)).toEqual(["ROLE_USER", "ROLE_AGENT"]);
    const one = taskOf(await h.client.call("SendMessage", textMessage("bob", { taskId: asked.id }, { historyLength: 1 })));
    expect(one.history?.map((m) => m.role)).toEqual(["ROLE_USER"]);
    const plain = taskOf(await h.client.call("SendMessage", textMessage("again")));
    expect(plain.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(plain.history).toBeUndefined();
    expect(taskOf(await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true }))).history).toBeUndefined();
    // GetTask still returns the whole history.
    expect(((await h.client.call("GetTask", { id: asked.id })).result as TaskLike).history).toHaveLength(3);
    await h.close();
    h = await harness((agent) => agent.skill({ id: "echo", handler: () => "ok" }), { replyHistoryLength: Number.POSITIVE_INFINITY });
    expect(taskOf(await h.client.call("SendMessage", textMessage("all"))).history?.map((m) => m.role)).toEqual(["ROLE_USER"]);
  });

  it("merges data parts into tool params and returns objects as data parts", async () => {
    h = await harness((agent) => agent.registerTool(function stock(params) { return { product: params.product_id, note: params.message }; }));
    const params = {
      message: { messageId: "m-data", role: "ROLE_USER", parts: [{ data: { product_id: "WIDGET-A" } }, { text: "please" }] },
    };
    const task = taskOf(await h.client.call("SendMessage", params));
    expect(task.artifacts?.[0]?.parts).toEqual([{ data: { product: "WIDGET-A", note: "please" } }]);
  });

  it("is blocking by default and returns immediately on request", async () => {
    const gate = deferred();
    h = await harness((agent) => agent.skill({ id: "slow", handler: async () => { await gate.promise; return "done"; } }));
    const immediate = taskOf(await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true })));
    expect(["TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"]).toContain(immediate.status.state);
    const blockingId = await h.client.send("SendMessage", textMessage("y"));
    // Only the immediate reply exists while the handler is held.
    const got = await h.client.call("GetTask", { id: immediate.id });
    expect(got.error).toBeUndefined();
    expect(h.client.repliesFor(blockingId)).toHaveLength(0);
    gate.resolve();
    const reply = await waitFor(() => h!.client.repliesFor(blockingId)[0], { message: "the blocking reply" });
    expect(taskOf(reply).status.state).toBe("TASK_STATE_COMPLETED");
  });

  it("fails the task with the thrown error's message", async () => {
    h = await harness((agent) => agent.skill({ id: "boom", handler: () => { throw new Error("disk on fire"); } }));
    const task = taskOf(await h.client.call("SendMessage", textMessage("x")));
    expect(task.status.state).toBe("TASK_STATE_FAILED");
    expect(task.status.message?.parts).toEqual([{ text: "disk on fire" }]);
  });

  it("validates skill input with zod and answers -32602 with the path", async () => {
    let ran = 0;
    h = await harness((agent) =>
      agent.skill({
        id: "typed",
        input: z.object({ qty: z.number().int() }),
        handler: (input) => { ran++; return input.qty * 2; },
      }),
    );
    const bad = await h.client.call("SendMessage", { message: { messageId: "m1", role: "ROLE_USER", parts: [{ data: { qty: "two" } }] } });
    expect(bad.error?.code).toBe(-32602);
    expect(bad.error?.message).toContain("input.qty");
    expect(ran).toBe(0);
    const good = await h.client.call("SendMessage", { message: { messageId: "m2", role: "ROLE_USER", parts: [{ data: { qty: 4 } }] } });
    expect(taskOf(good).artifacts?.[0]?.parts).toEqual([{ data: 8 }]);
  });

  it("routes by metadata.skillId and refuses unknown or unnamed skills with -32602", async () => {
    h = await harness((agent) => {
      agent.registerTool(function a() { return "A"; });
      agent.registerTool(function b() { return "B"; });
    });
    const b = await h.client.call("SendMessage", textMessage("x", { metadata: { skillId: "b" } }));
    expect(taskOf(b).artifacts?.[0]?.parts).toEqual([{ text: "B" }]);
    const unknown = await h.client.call("SendMessage", textMessage("x", { metadata: { skillId: "zzz" } }));
    expect(unknown.error?.code).toBe(-32602);
    expect(unknown.error?.message).toMatch(/Unknown skill "zzz"; this agent has: a, b/);
    const unnamed = await h.client.call("SendMessage", textMessage("x"));
    expect(unnamed.error?.code).toBe(-32602);
    expect(unnamed.error?.message).toMatch(/skillId/);
  });
});

describe("task identity rules", () => {
  it("answers -32001 for an unknown taskId and -32004 for a terminal task", async () => {
    h = await harness((agent) => agent.registerTool(function echo() { return "ok"; }));
    const unknown = await h.client.call("SendMessage", textMessage("x", { taskId: "no-such-task" }));
    expect(unknown.error?.code).toBe(-32001);
    const done = taskOf(await h.client.call("SendMessage", textMessage("x")));
    const again = await h.client.call("SendMessage", textMessage("x", { taskId: done.id }));
    expect(again.error?.code).toBe(-32004);
  });

  it("rejects a taskId with a mismatching contextId (-32602) and lets a taskId alone inherit it", async () => {
    h = await harness((agent) =>
      agent.skill({ id: "ask", handler: async (_input, ctx) => { const reply = await ctx.requestInput("name?"); return `hi ${reply.parts.length}`; } }),
    );
    const first = taskOf(await h.client.call("SendMessage", textMessage("start", { contextId: "ctx-1" })));
    expect(first.contextId).toBe("ctx-1");
    expect(first.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const mismatch = await h.client.call("SendMessage", textMessage("x", { taskId: first.id, contextId: "ctx-2" }));
    expect(mismatch.error?.code).toBe(-32602);
    const resumed = taskOf(await h.client.call("SendMessage", textMessage("bob", { taskId: first.id }, { historyLength: 1 })));
    expect(resumed.status.state).toBe("TASK_STATE_COMPLETED");
    expect(resumed.contextId).toBe("ctx-1");
    expect(resumed.history?.at(-1)?.role).toBe("ROLE_USER");
  });
});

describe("GetTask", () => {
  it("applies historyLength: unset all, 0 none, N the last N", async () => {
    h = await harness((agent) =>
      agent.skill({ id: "chat", handler: async (_i, ctx) => { await ctx.requestInput("more?"); return "ok"; } }),
    );
    const t = taskOf(await h.client.call("SendMessage", textMessage("one")));
    await h.client.call("SendMessage", textMessage("two", { taskId: t.id }));
    const all = (await h.client.call("GetTask", { id: t.id })).result as TaskLike;
    expect(all.history?.map((m) => m.role)).toEqual(["ROLE_USER", "ROLE_AGENT", "ROLE_USER"]);
    const none = (await h.client.call("GetTask", { id: t.id, historyLength: 0 })).result as TaskLike;
    expect(none.history ?? []).toEqual([]);
    const last = (await h.client.call("GetTask", { id: t.id, historyLength: 1 })).result as TaskLike;
    expect(last.history).toHaveLength(1);
    expect(last.history?.[0]?.messageId).toBe(all.history?.[2]?.messageId);
    expect((await h.client.call("GetTask", { id: "nope" })).error?.code).toBe(-32001);
  });
});
