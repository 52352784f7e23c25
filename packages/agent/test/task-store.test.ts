import { describe, expect, it } from "vitest";
import { waitFor } from "@a2a/testing";
import type { Task } from "@a2a/schema";
import { InMemoryTaskStore } from "@a2a/agent";
import { BoundedCache } from "../src/bounded-cache.js";
import { TaskEventBus, SubscriberOverflowError } from "../src/task-event-bus.js";

const task = (id: string, state: Task["status"]["state"], { timestamp = "2024-01-01T00:00:00Z", contextId = "c" } = {}): Task => ({
  id,
  contextId,
  status: { state, timestamp },
});

describe("InMemoryTaskStore", () => {
  it("evicts the oldest terminal tasks first when over maxTasks", async () => {
    const store = new InMemoryTaskStore({ maxTasks: 3 });
    await store.save(task("done-1", "TASK_STATE_COMPLETED"));
    await store.save(task("live-1", "TASK_STATE_WORKING"));
    await store.save(task("done-2", "TASK_STATE_FAILED"));
    await store.save(task("live-2", "TASK_STATE_WORKING"));
    expect(await store.get("done-1")).toBeUndefined();
    expect(await store.get("live-1")).toBeDefined();
    await store.save(task("live-3", "TASK_STATE_WORKING"));
    expect(await store.get("done-2")).toBeUndefined();
    expect(store.size).toBe(3);
  });

  it("drops terminal tasks after the TTL but keeps running ones", async () => {
    let now = 0;
    const store = new InMemoryTaskStore({ terminalTtlMs: 1000, now: () => now });
    await store.save(task("done", "TASK_STATE_COMPLETED"));
    await store.save(task("live", "TASK_STATE_WORKING"));
    now = 1500;
    expect(await store.get("done")).toBeUndefined();
    expect(await store.get("live")).toBeDefined();
  });

  it("lists by context and state, newest status first", async () => {
    const store = new InMemoryTaskStore();
    await store.save(task("a", "TASK_STATE_COMPLETED", { timestamp: "2024-01-01T00:00:01Z", contextId: "x" }));
    await store.save(task("b", "TASK_STATE_COMPLETED", { timestamp: "2024-01-01T00:00:03Z", contextId: "x" }));
    await store.save(task("c", "TASK_STATE_WORKING", { timestamp: "2024-01-01T00:00:02Z", contextId: "y" }));
    expect((await store.list({ contextId: "x" })).map((t) => t.id)).toEqual(["b", "a"]);
    expect((await store.list({ state: "TASK_STATE_WORKING" })).map((t) => t.id)).toEqual(["c"]);
    expect((await store.list({})).map((t) => t.id)).toEqual(["b", "c", "a"]);
  });
});

describe("BoundedCache", () => {
  it("evicts the least recently used entry and expires entries", () => {
    let now = 0;
    const cache = new BoundedCache<number>({ maxEntries: 2, ttlMs: 100, now: () => now });
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // a is now most recent
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    now = 200;
    expect(cache.get("c")).toBeUndefined();
  });
});

describe("TaskEventBus", () => {
  it("cuts off a subscriber that falls too far behind without affecting others", async () => {
    const bus = new TaskEventBus({ maxBuffered: 2 });
    const slow = bus.subscribe();
    const fast = bus.subscribe();
    const fastSeen: unknown[] = [];
    const fastDone = (async () => {
      for await (const e of fast) fastSeen.push(e);
    })();
    const ev = (n: number) => ({ message: { messageId: String(n), role: "ROLE_AGENT" as const, parts: [{ text: String(n) }] } });
    for (let n = 1; n <= 4; n++) {
      bus.publish(ev(n));
      await waitFor(() => fastSeen.length === n);
    }
    bus.close();
    await fastDone;
    expect(fastSeen).toHaveLength(4);
    await expect((async () => { for await (const _ of slow) void _; })()).rejects.toBeInstanceOf(SubscriberOverflowError);
  });
});
