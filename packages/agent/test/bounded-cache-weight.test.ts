import { describe, expect, it } from "vitest";
import { BoundedCache } from "../src/bounded-cache.js";

describe("BoundedCache weight bound", () => {
  it("evicts the least recently used entries once the weight (keys and values) is over the bound", async () => {
    const cache = new BoundedCache<Promise<number>>({ maxEntries: 100, ttlMs: 60_000, maxWeight: 1_000, weightOf: (v) => v });
    cache.set("a", Promise.resolve(400));
    cache.set("b", Promise.resolve(400));
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.size).toBe(2);
    expect(cache.get("a")).toBeDefined(); // a is now the most recently used
    cache.set("c", Promise.resolve(400));
    await Promise.resolve();
    await Promise.resolve();
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    expect(cache.weight).toBeLessThanOrEqual(1_000);
  });

  it("keeps long keys as a fixed-size digest that still finds the entry", () => {
    const cache = new BoundedCache<string>({ maxEntries: 10, ttlMs: 60_000 });
    const key = "k".repeat(1_000_000);
    cache.set(key, "v");
    expect(cache.get(key)).toBe("v");
    expect(cache.get(`${key}x`)).toBeUndefined();
    expect(cache.weight).toBeLessThan(100);
  });

  it("does not keep an entry heavier than the bound on its own", () => {
    const cache = new BoundedCache<number>({ maxEntries: 10, ttlMs: 60_000, maxWeight: 100, weightOf: (v) => v });
    cache.set("small", 10);
    cache.set("huge", 1_000);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.weight).toBe(0);
  });
});
