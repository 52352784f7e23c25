import { describe, expect, it } from "vitest";
import { runScenario } from "../src/scenario.js";
import { Trace } from "../src/trace.js";

function quietTrace(lines: string[] = []): Trace {
  return new Trace({ write: (line) => lines.push(line), color: false });
}

describe("the supply-chain scenario", () => {
  it("runs every step to completion on an embedded broker", async () => {
    const lines: string[] = [];
    const outcome = await runScenario({ trace: quietTrace(lines) });

    expect(outcome.error).toBeUndefined();
    expect(outcome.checks.map((c) => [c.name, c.ok])).toEqual([
      ["discovery", true],
      ["order-fulfilled", true],
      ["streamed-progress", true],
      ["multi-turn", true],
      ["cancellation", true],
      ["push-notification", true],
    ]);
    expect(outcome.ok).toBe(true);
    expect(outcome.embeddedBroker).toBe(true);
    expect(outcome.brokerUrl).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(outcome.agents).toEqual(["acme/inventory", "acme/logistics", "acme/orchestrator", "acme/supplier"]);

    // The order: the short valve substituted after the customer's yes, the hose partly backordered.
    const order = outcome.order!;
    expect(order.orderId).toBe("SO-1001");
    expect(order.lines).toContainEqual({ sku: "VLV-DN40-SS", qty: 10, source: "substitute", replaces: "VLV-DN40" });
    expect(order.lines).toContainEqual({ sku: "HSE-5M", qty: 2, source: "stock" });
    const backorder = order.lines.find((l) => l.source === "backorder");
    expect(backorder).toMatchObject({ sku: "HSE-5M", qty: 2 });
    expect(backorder?.poNumber).toMatch(/^PO-\d+$/);
    expect(order.shipment).toEqual(expect.objectContaining({ carrier: "northwind", delivered: true }));
    // Goods at list price: 2 pumps, 10 valves (at the brass price), 4 hoses, 6 sensors.
    expect(order.goodsTotal).toBe(2 * 640 + 10 * 38 + 4 * 46 + 6 * 89);
    expect(outcome.progressEvents).toBeGreaterThanOrEqual(10);
    expect(outcome.pushDeliveries).toBeGreaterThanOrEqual(1);

    // The trace says who talked to whom.
    expect(lines.some((l) => /customer → orchestrator\s+fulfil-order SO-1001/.test(l))).toBe(true);
    expect(lines.some((l) => /orchestrator ⇢ customer\s+input-required: Only 3 of 10×/.test(l))).toBe(true);
    expect(lines.some((l) => /orchestrator → logistics\s+CancelTask/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("\x1b["))).toBe(false);
  });

  it("fails with a clear message when the scenario runs out of time", async () => {
    const outcome = await runScenario({ trace: quietTrace(), timeoutMs: 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/timed out: the scenario did not finish within 1 ms/);
    expect(outcome.checks.filter((c) => c.ok)).toEqual([]);
    expect(outcome.checks).toHaveLength(6);
  });
});
