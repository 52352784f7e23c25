import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SendMessageResult } from "@a2a/schema";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, dataOf, stateOf, taskOf, userMessage } from "@a2a/client";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";

/** The text of a failed task's status message: why it failed. */
function reason(result: SendMessageResult): string {
  const parts = taskOf(result)?.status.message?.parts ?? [];
  return parts.map((p) => ("text" in p ? p.text : "")).join("");
}

// Handlers are user code: one that never returns, or throws in any way, must cost only
// its own task.
describe("faulty skill handlers (aedes)", () => {
  let aedes: AedesHandle;
  let agent: A2AAgent;
  let client: A2AClient;
  let hanging = 0;
  const agentErrors: unknown[] = [];

  beforeAll(async () => {
    aedes = await startAedes();
    agent = new A2AAgent({
      orgId: "reliability",
      agentId: "faulty",
      name: "Faulty",
      description: "Skills that hang or throw",
      broker: aedes.url,
      maxConcurrentTasks: 64,
      onError: (e) => agentErrors.push(e),
    });
    agent.skill({
      id: "hang",
      handler: (_input, ctx) => {
        hanging++;
        // Never settles by itself; only the agent stopping ends it.
        return new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
      },
    });
    agent.skill<{ how: string }>({
      id: "throw",
      handler: async (input, ctx) => {
        if (input.how === "sync-error") throw new Error("sync failure");
        // Handlers may throw anything; the agent must cope with non-Error values too.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (input.how === "string") throw "a thrown string";
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (input.how === "undefined") throw undefined;
        if (input.how === "after-artifact") {
          await ctx.artifact({ text: "partial" });
          throw new TypeError("failed after an artifact");
        }
        if (input.how === "circular") {
          const circular: Record<string, unknown> = {};
          circular.self = circular;
          return circular;
        }
        if (input.how === "bigint") return { n: 10n };
        return Promise.reject(new RangeError("async failure"));
      },
    });
    // A synchronous (non-async) handler that throws before returning a promise.
    agent.skill({ id: "sync-throw", handler: () => { throw new Error("thrown synchronously"); } });
    agent.skill<{ key: string }>({ id: "work", handler: (input) => ({ key: input.key }) });
    await agent.start();
    client = new A2AClient({ broker: aedes.url, timeoutMs: 15_000 });
  });

  afterAll(async () => {
    await client?.close();
    await agent?.stop({ gracePeriodMs: 0 });
    await aedes?.close();
  });

  it("hanging handlers do not block other tasks; throwing ones fail only their own task", async () => {
    const handle = client.agent("reliability/faulty");
    const hangs = Array.from({ length: 32 }, () =>
      handle.sendMessage({ message: userMessage({ text: "x", skill: "hang" }), configuration: { returnImmediately: true } }),
    );
    await Promise.all(hangs);
    await waitFor(() => hanging === 32, { message: "32 hanging handlers" });

    const hows = ["sync-error", "string", "undefined", "after-artifact", "async", "circular", "bigint"];
    const throwing = hows.map((how) => handle.sendMessage({ message: userMessage({ data: { how }, skill: "throw" }) }));
    const syncThrow = handle.sendMessage({ message: userMessage({ text: "x", skill: "sync-throw" }) });
    const work = Array.from({ length: 200 }, (_, i) =>
      handle.sendMessage({ message: userMessage({ data: { key: `w${i}` }, skill: "work" }) }),
    );

    const done = await Promise.all(work);
    done.forEach((result, i) => {
      expect(stateOf(result)).toBe("TASK_STATE_COMPLETED");
      expect(dataOf(result)).toEqual({ key: `w${i}` });
    });
    const failed = await Promise.all([...throwing, syncThrow]);
    for (const result of failed) expect(stateOf(result)).toBe("TASK_STATE_FAILED");
    expect(reason(failed[0])).toContain("sync failure");
    expect(reason(failed[1]!)).toContain("a thrown string");
    expect(reason(failed[4]!)).toContain("async failure");
    expect(reason(failed[3]!)).toContain("failed after an artifact");
    // A result that cannot be sent as JSON fails its task with a clear reason.
    expect(reason(failed[5]!)).toMatch(/result cannot be sent.*circular/i);
    expect(reason(failed[6]!)).toMatch(/result cannot be sent.*bigint/i);
    expect(reason(failed[7]!)).toContain("thrown synchronously");
    // The hanging tasks are still running, untouched.
    expect(hanging).toBe(32);
    const hung = await hangs[0]!;
    const now = await handle.getTask((hung as { task: { id: string } }).task.id);
    expect(now.status.state).toBe("TASK_STATE_WORKING");
  });
});
