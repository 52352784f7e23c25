import { afterEach, describe, expect, it } from "vitest";
import { InMemoryTransport, type InboundMessage } from "@a2a/transport";
import { waitFor } from "@a2a/testing";
import { harness, seedRequest, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function plainClient(harnessed: Harness, topic: string): Promise<{ t: InMemoryTransport; got: InboundMessage[] }> {
  const t = new InMemoryTransport({ broker: harnessed.broker, clean: true });
  await t.connect();
  const got: InboundMessage[] = [];
  await t.subscribe(topic, (m) => got.push(m));
  return { t, got };
}

const json = (m: InboundMessage) => JSON.parse(new TextDecoder().decode(m.payload)) as Record<string, unknown>;

describe("compact Task Requests (seed format)", () => {
  it("yields the seed's Task Result on {org}/{agent}/results", async () => {
    let params: Record<string, unknown> | undefined;
    h = await harness((agent) =>
      agent.registerTool(function inventoryCheck(p) { params = p; return { stock: 500 }; }, { id: "inventory-check", name: "Check Inventory" }),
    );
    const { t, got } = await plainClient(h, "org/agent/results");
    await t.publish("org/agent/tasks", JSON.stringify(seedRequest), { qos: 1 });
    const result = json(await waitFor(() => got[0]));
    expect(result).toMatchObject({ id: "req-123", taskId: "task-abc-789", status: "completed", result: { status: "completed", result: { stock: 500 } } });
    expect(params).toEqual({ product_id: "WIDGET-A" });
    await t.close();
  });

  it("sends the result to the request's replyTo, and answers a repeat without running again", async () => {
    let runs = 0;
    h = await harness((agent) => agent.registerTool(function echo(p) { runs++; return `Echo: ${String(p.message)}`; }), { protocolVersion: 4 });
    const { t, got } = await plainClient(h, "replies/plain/one");
    const request = { id: "r1", operation: "echo", params: { message: "hi" }, replyTo: "replies/plain/one" };
    await t.publish("org/agent/tasks", JSON.stringify(request), { qos: 1 });
    await t.publish("org/agent/tasks", JSON.stringify(request), { qos: 1 });
    await waitFor(() => got.length === 2);
    expect(got.map(json)).toEqual([
      expect.objectContaining({ id: "r1", status: "completed", result: { status: "completed", result: "Echo: hi" } }),
      expect.objectContaining({ id: "r1", status: "completed" }),
    ]);
    expect(runs).toBe(1);
    await t.close();
  });

  it("answers an unknown operation or an invalid request with a rejected Task Result", async () => {
    h = await harness((agent) => agent.registerTool(function echo() { return "x"; }));
    const { t, got } = await plainClient(h, "org/agent/results");
    await t.publish("org/agent/tasks", JSON.stringify({ id: "r2", taskId: "label", operation: "nope", params: {} }), { qos: 1 });
    await t.publish("org/agent/tasks", JSON.stringify({ id: "r3", operation: "echo", timestamp: "yesterday" }), { qos: 1 });
    await waitFor(() => got.length === 2);
    const [unknown, invalid] = got.map(json);
    expect(unknown).toMatchObject({ id: "r2", taskId: "label", status: "rejected" });
    expect(String(unknown!.error)).toMatch(/Unknown skill "nope"/);
    expect(invalid).toMatchObject({ id: "r3", status: "rejected" });
    expect(String(invalid!.error)).toMatch(/timestamp/);
    await t.close();
  });
});
