import { afterEach, describe, expect, it } from "vitest";
import { deferred, harness, seedRequest, textMessage, type Harness } from "./helpers.js";
import { waitFor } from "@a2a/testing";
import type { ListTasksResult, Task } from "@a2a/schema";
import type { JsonRpcErrorObject } from "@a2a/transport/binding";
import { partBytes } from "../src/memory-budget.js";
import type { CompactResult, SentTask } from "./wire-types.js";

const MiB = 1024 * 1024;
const BIG = "x".repeat(300_000);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("size estimates", () => {
  it("measure a part about as long as its JSON, without serialising it, and survive a cycle", () => {
    const data = { rows: Array.from({ length: 40 }, (_, i) => ({ id: `row-${i}`, price: i / 3, tags: ["a", "b"], ok: i % 2 === 0, note: null })) };
    const json = JSON.stringify({ data, mediaType: "application/json" }).length;
    const estimate = partBytes({ data, mediaType: "application/json" });
    expect(estimate).toBeGreaterThan(json * 0.8);
    expect(estimate).toBeLessThan(json * 1.3 + 64);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(partBytes({ data: cyclic })).toBe(64);
  });
});

describe("the memory budget (4 MiB)", () => {
  it("evicts terminal tasks oldest first, refuses new work at capacity with -32603, and keeps answering", async () => {
    const gate = deferred();
    h = await harness(
      (a) => {
        a.skill({ id: "echo", handler: (input: { message?: string }) => `${input.message?.length ?? 0} characters` });
        a.skill({ id: "hold", handler: async () => { await gate.promise; return "released"; } });
        a.skill({ id: "inventory-check", handler: () => ({ stock: 1 }) });
      },
      { memoryBudgetBytes: 4 * MiB },
    );
    const { agent, client } = h;

    // 40 x 300 KB finished tasks (12 MB of text, 24 MB with their replies) fit by eviction.
    const first: string[] = [];
    for (let i = 0; i < 40; i++) {
      const reply = await client.call("SendMessage", textMessage(BIG, { metadata: { skillId: "echo" } }));
      expect(reply.error).toBeUndefined();
      first.push((reply.result as SentTask).task.id);
    }
    expect((await client.call("GetTask", { id: first[0] })).error?.code).toBe(-32001);
    expect((await client.call("GetTask", { id: first.at(-1) })).error).toBeUndefined();
    expect(agent.memoryBudget.used).toBeLessThanOrEqual(4 * MiB);
    const listed = (await client.call("ListTasks", { pageSize: 100, historyLength: 0 })).result as ListTasksResult;
    expect(listed.totalSize).toBeLessThan(40);

    // Tasks that cannot be evicted (still running) fill the budget: then new work is refused.
    const held: unknown[] = [];
    let refused: JsonRpcErrorObject | undefined;
    for (let i = 0; i < 40 && refused === undefined; i++) {
      const reply = await client.call("SendMessage", textMessage(BIG, { metadata: { skillId: "hold" } }, { returnImmediately: true }));
      if (reply.error !== undefined) refused = reply.error;
      else held.push(reply.result);
    }
    expect(refused?.code).toBe(-32603);
    expect(refused?.message).toMatch(/at capacity/);
    expect(held.length).toBeGreaterThan(1);
    expect(held.length).toBeLessThan(14);
    expect(agent.memoryBudget.used).toBeLessThanOrEqual(4 * MiB + 2 * MiB);

    // A compact request at capacity gets a rejected Task Result.
    await client.transport.subscribe(agent.resultsTopic, () => undefined);
    const results: CompactResult[] = [];
    await client.transport.subscribe("replies/client-0/results", (m) => results.push(JSON.parse(Buffer.from(m.payload).toString("utf8")) as CompactResult));
    await client.publishRaw(
      JSON.stringify({ ...seedRequest, id: "big-seed", params: { message: BIG }, replyTo: "replies/client-0/results" }),
    );
    const result = await waitFor(() => results.find((r) => r.id === "big-seed"), { message: "the compact result" });
    expect(result.status).toBe("rejected");
    expect(result.error).toMatch(/at capacity/);

    // Small requests still pass, and once the held tasks end, big ones do again.
    // (the finished tasks were evicted to make room for the held ones)
    expect((await client.call("GetTask", { id: first.at(-1) })).error?.code).toBe(-32001);
    const heldId = (held[0] as SentTask).task.id;
    expect(((await client.call("GetTask", { id: heldId, historyLength: 0 })).result as Task).status.state).toBe("TASK_STATE_WORKING");
    gate.resolve();
    await waitFor(async () => ((await client.call("ListTasks", { status: "TASK_STATE_WORKING", historyLength: 0 })).result as ListTasksResult).totalSize === 0, {
      message: "the held tasks to finish",
    });
    const after = await client.call("SendMessage", textMessage(BIG, { metadata: { skillId: "echo" } }));
    expect((after.result as SentTask).task.status.state).toBe("TASK_STATE_COMPLETED");
  }, 30_000);
});
