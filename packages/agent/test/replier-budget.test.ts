import { describe, expect, it } from "vitest";
import type { Transport } from "@a2a/transport";
import { MemoryBudget } from "../src/memory-budget.js";
import { Replier } from "../src/replier.js";

/** A transport whose publishes wait until the test acknowledges or fails them. */
function heldTransport() {
  const pending: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const transport = {
    publish: () =>
      new Promise<object>((resolve, reject) => {
        pending.push({ resolve: () => resolve({}), reject });
      }),
  } as unknown as Transport;
  return { transport, pending };
}

describe("replies and the memory budget", () => {
  it("counts each reply and stream frame against the budget until the broker acknowledged or refused it", async () => {
    const budget = new MemoryBudget({ maxBytes: 1024 * 1024 });
    const { transport, pending } = heldTransport();
    const errors: unknown[] = [];
    const replier = new Replier({ transport, route: { replyTopic: "r/1" }, id: 1, onError: (e) => errors.push(e), budget });
    const first = replier.frame({ n: 1 }, false);
    const second = replier.frame({ n: 2 }, true);
    expect(pending).toHaveLength(2);
    const held = budget.used;
    expect(held).toBeGreaterThan(0);
    pending[0]!.resolve();
    await first;
    expect(budget.used).toBeGreaterThan(0);
    expect(budget.used).toBeLessThan(held);
    pending[1]!.reject(new Error("connection lost"));
    await second;
    expect(budget.used).toBe(0);
    expect(errors).toHaveLength(1);
  });

  it("gives the bytes back when publishing throws at once", async () => {
    const budget = new MemoryBudget({ maxBytes: 1024 * 1024 });
    const transport = {
      publish: () => {
        throw new Error("not connected");
      },
    } as unknown as Transport;
    const errors: unknown[] = [];
    await new Replier({ transport, route: { replyTopic: "r/1" }, id: 1, onError: (e) => errors.push(e), budget }).result({ ok: true });
    expect(budget.used).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
