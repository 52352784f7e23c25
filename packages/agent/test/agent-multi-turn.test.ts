import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import { deferred, harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type T = { id: string; contextId: string; status: { state: string; message?: { parts: { text?: string }[] } }; artifacts?: { parts: unknown[] }[] };

describe("ctx.requestInput()", () => {
  it("returns input-required, then resumes the handler with the next message on the task", async () => {
    h = await harness((agent) =>
      agent.skill({
        id: "greet",
        handler: async (_input, ctx) => {
          const reply = await ctx.requestInput("What is your name?");
          const name = reply.parts.map((p) => ("text" in p ? p.text : "")).join("");
          const again = await ctx.requestInput(`And your city, ${name}?`);
          return { name, city: "text" in again.parts[0]! ? again.parts[0].text : "" };
        },
      }),
    );
    const first = (await h.client.call("SendMessage", textMessage("hi"))).result as { task: T };
    expect(first.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(first.task.status.message?.parts[0]?.text).toBe("What is your name?");
    const second = (await h.client.call("SendMessage", textMessage("Ada", { taskId: first.task.id, contextId: first.task.contextId })))
      .result as { task: T };
    expect(second.task.id).toBe(first.task.id);
    expect(second.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    expect(second.task.status.message?.parts[0]?.text).toBe("And your city, Ada?");
    const third = (await h.client.call("SendMessage", textMessage("London", { taskId: first.task.id }))).result as { task: T };
    expect(third.task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(third.task.artifacts?.[0]?.parts).toEqual([{ data: { name: "Ada", city: "London" } }]);
  });

  it("fails the task when no reply comes within the timeout", async () => {
    h = await harness((agent) =>
      agent.skill({ id: "wait", handler: async (_i, ctx) => ctx.requestInput("anyone?", { timeoutMs: 30 }) }),
    );
    const first = (await h.client.call("SendMessage", textMessage("hi"))).result as { task: T };
    expect(first.task.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const failed = await waitFor(async () => {
      const t = (await h!.client.call("GetTask", { id: first.task.id })).result as T;
      return t.status.state === "TASK_STATE_FAILED" ? t : undefined;
    });
    expect(failed.status.message?.parts[0]?.text).toMatch(/No input received within 30 ms/);
  });

  it("answers -32004 to a message for a task that is working, not waiting", async () => {
    const gate = deferred();
    h = await harness((agent) => agent.skill({ id: "busy", handler: async () => { await gate.promise; return "ok"; } }));
    const t = (await h.client.call("SendMessage", textMessage("x", {}, { returnImmediately: true }))).result as { task: T };
    const reply = await h.client.call("SendMessage", textMessage("more", { taskId: t.task.id }));
    expect(reply.error?.code).toBe(-32004);
    expect(reply.error?.message).toMatch(/INPUT_REQUIRED/);
    gate.resolve();
  });
});
