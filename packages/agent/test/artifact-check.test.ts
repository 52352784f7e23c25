import { afterEach, describe, expect, it } from "vitest";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type T = { status: { state: string; message?: { parts: { text?: string }[] } }; artifacts?: { parts: unknown[] }[] };
const taskOf = (reply: { result?: unknown }): T => (reply.result as { task: T }).task;

describe("artifact serialisability check", () => {
  it("takes the request's own parts back as an artifact (an echo)", async () => {
    h = await harness((agent) => agent.skill({ id: "echo", handler: async (_i, ctx) => void (await ctx.artifact({ parts: ctx.message.parts })) }));
    const task = taskOf(await h.client.call("SendMessage", { message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "a" }, { data: { n: 1 } }] } }));
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts?.[0]?.parts).toEqual([{ text: "a" }, { data: { n: 1 } }]);
  });

  it("still refuses a new part that cannot be serialised, beside the request's own parts", async () => {
    let refused: unknown;
    h = await harness((agent) =>
      agent.skill({
        id: "mixed",
        handler: async (_i, ctx) => {
          try {
            await ctx.artifact({ parts: [...ctx.message.parts, { data: { big: 1n } }] });
          } catch (error) {
            refused = error;
          }
          await ctx.artifact({ parts: ctx.message.parts });
        },
      }),
    );
    const task = taskOf(await h.client.call("SendMessage", textMessage("x")));
    expect(refused).toBeInstanceOf(TypeError);
    expect(String(refused)).toMatch(/JSON-serialisable/);
    // Nothing of the refused artifact was kept; the task and its replies are intact.
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts).toHaveLength(1);
    expect(task.artifacts?.[0]?.parts).toEqual([{ text: "x" }]);
  });

  it("still refuses metadata that cannot be serialised on an echoed artifact", async () => {
    let refused: unknown;
    h = await harness((agent) =>
      agent.skill({
        id: "meta",
        handler: async (_i, ctx) => {
          const circular: Record<string, unknown> = {};
          circular.self = circular;
          try {
            await ctx.artifact({ parts: ctx.message.parts, metadata: circular });
          } catch (error) {
            refused = error;
          }
        },
      }),
    );
    const task = taskOf(await h.client.call("SendMessage", textMessage("x")));
    expect(refused).toBeInstanceOf(TypeError);
    expect(task.status.state).toBe("TASK_STATE_COMPLETED");
    expect(task.artifacts ?? []).toHaveLength(0);
  });
});
