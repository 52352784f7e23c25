import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { InboundMessage, Transport } from "@a2a/transport";
import { EMQX_RETRY_DEFAULTS, createEmqxTopicScheme } from "@a2a/transport/binding";
import { EmqxDirectory } from "../../src/emqx/emqx-directory.js";
import { EmqxPoolRoutes } from "../../src/emqx/emqx-pool-routes.js";
import { EmqxResponders } from "../../src/emqx/emqx-responders.js";
import { EmqxTaskView, MAX_FOLDED_BYTES, MAX_FOLDED_ITEMS } from "../../src/emqx/emqx-task-view.js";
import { Exchange, MAX_QUEUED_REPLIES, MAX_QUEUED_REPLY_BYTES } from "../../src/emqx/emqx-exchange.js";
import type { EmqxReply } from "../../src/emqx/emqx-reply.js";

/** An exchange whose in-flight table hands out the deliver function of each attempt. */
function exchange() {
  const delivers: ((reply: EmqxReply, bytes: number) => void)[] = [];
  const ex = new Exchange({
    target: "acme/plant1/echo",
    method: "SendStreamingMessage",
    policy: { ...EMQX_RETRY_DEFAULTS, firstReplyTimeoutMs: 5000, streamIdleTimeoutMs: 5000 },
    random: () => 0.5,
    table: { add: (_c, deliver) => (delivers.push(deliver), true), delete: () => undefined },
    publish: async () => ({}),
  });
  return { ex, deliver: (reply: EmqxReply, bytes = 10) => delivers[0]!(reply, bytes), ready: () => delivers.length > 0 };
}

const item = (n: number): EmqxReply => ({ result: { statusUpdate: { n } }, properties: {} });

async function started(ex: ReturnType<typeof exchange>) {
  const first = ex.ex.first();
  await expect.poll(ex.ready).toBe(true);
  ex.deliver(item(0));
  await first;
}

describe("an exchange flooded by its responder", () => {
  it("ends with OVERFLOW once more replies than the bound arrive unread", async () => {
    const ex = exchange();
    await started(ex);
    for (let i = 1; i <= MAX_QUEUED_REPLIES + 1; i++) ex.deliver(item(i));
    await expect(ex.ex.next()).rejects.toMatchObject({ code: "OVERFLOW" });
  });

  it("ends with OVERFLOW once the unread replies pass the byte bound", async () => {
    const ex = exchange();
    await started(ex);
    ex.deliver(item(1), MAX_QUEUED_REPLY_BYTES / 2);
    ex.deliver(item(2), MAX_QUEUED_REPLY_BYTES / 2 + 1);
    await expect(ex.ex.next()).rejects.toMatchObject({ code: "OVERFLOW" });
  });

  it("keeps a consumer that reads as fast as items come", async () => {
    const ex = exchange();
    await started(ex);
    for (let i = 1; i <= MAX_QUEUED_REPLIES + 10; i++) {
      ex.deliver(item(i), MAX_QUEUED_REPLY_BYTES / 4);
      await expect(ex.ex.next()).resolves.toMatchObject({ result: { statusUpdate: { n: i } } });
    }
  });
});

describe("the responder a reply names", () => {
  const target = { org: "acme", unit: "plant1", agent: "echo" };
  const named = (responder: string) => ({ "a2a-responder-agent-id": responder });

  it("is never the reserved word pool, which would make every later call to the task throw", () => {
    const responders = new EmqxResponders();
    responders.observe({ target, taskId: "t1", userProperties: named("pool"), result: {} });
    const route = responders.route(target, "t1");
    expect(route).toEqual(target);
    expect(() => createEmqxTopicScheme().request(route)).not.toThrow();
  });

  it("is not remembered for a Task.id longer than the bound", () => {
    const responders = new EmqxResponders();
    const long = "x".repeat(100_000);
    responders.observe({ target, taskId: undefined, userProperties: named("worker1"), result: { task: { id: long, status: { state: "working" } } } });
    expect(responders.route(target, long)).toEqual(target);
    responders.observe({ target, taskId: "t2", userProperties: named("worker1"), result: {} });
    expect(responders.route(target, "t2")).toEqual({ ...target, agent: "worker1" });
  });
});

describe("a pool responder's will", () => {
  it("fails only the calls held by that responder, not a namesake in another unit", async () => {
    const handlers = new Map<string, (message: InboundMessage) => void>();
    const transport = {
      subscribe: async (filter: string, handler: (message: InboundMessage) => void) => {
        handlers.set(filter, handler);
        return { unsubscribe: async () => undefined };
      },
    } as unknown as Transport;
    const topics = createEmqxTopicScheme();
    const routes = new EmqxPoolRoutes({ transport, topics });
    const failed: string[] = [];
    const callIn = (unit: string) => ({ fail: () => failed.push(unit) });
    const props = { userProperties: { "a2a-responder-agent-id": "worker1" } };
    routes.observe(callIn("plant1"), { org: "acme", unit: "plant1", agent: "pool", pool: "p" }, props);
    routes.observe(callIn("plant2"), { org: "acme", unit: "plant2", agent: "pool", pool: "p" }, props);
    const discovery = topics.discovery({ org: "acme", unit: "plant1", agent: "worker1" });
    await expect.poll(() => handlers.has(discovery)).toBe(true);
    handlers.get(discovery)!({ topic: discovery, payload: new Uint8Array([123, 125]), qos: 1, retain: false, properties: { userProperties: { "a2a-status": "offline" } } });
    expect(failed).toEqual(["plant1"]);
  });

  /** A pool call pinned to worker1, its card watch, and a way to hand the watch a card. */
  function pinnedCall() {
    const { transport, deliver } = oneSubscriptionTransport();
    const routes = new EmqxPoolRoutes({ transport, topics: createEmqxTopicScheme(), retainedOfflineGraceMs: 1000 });
    const failures: unknown[] = [];
    routes.observe({ fail: (e) => failures.push(e) }, { org: "acme", unit: "plant1", agent: "pool", pool: "p" }, { userProperties: { "a2a-responder-agent-id": "worker1" } });
    const card = (status: string, retain: boolean) =>
      deliver({ topic: "card", payload: new Uint8Array([123, 125]), qos: 1, retain, properties: { userProperties: { "a2a-status": status } } });
    return { routes, failures, card };
  }

  describe("found retained when the watch begins", () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it("offline, fails the calls unless a live card follows within the grace", () => {
      // Its will was retained before the watch's subscription reached the broker: it died after answering.
      const dead = pinnedCall();
      dead.card("offline", true);
      vi.advanceTimersByTime(999);
      expect(dead.failures).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(dead.failures).toHaveLength(1);
      expect(dead.failures[0]).toMatchObject({ code: "AGENT_OFFLINE" });
      expect((dead.failures[0] as Error).message).toMatch(/acme\/plant1\/worker1 .*went offline/);

      // An earlier run's will, still retained while the new run answered: its online card follows.
      const alive = pinnedCall();
      alive.card("offline", true);
      alive.card("online", false);
      vi.advanceTimersByTime(5000);
      expect(alive.failures).toEqual([]);
      // Its will seen live later still fails the call.
      alive.card("offline", false);
      expect(alive.failures).toEqual([expect.objectContaining({ code: "AGENT_OFFLINE" })]);
    });

    it("online, keeps the calls", () => {
      const call = pinnedCall();
      call.card("online", true);
      vi.advanceTimersByTime(5000);
      expect(call.failures).toEqual([]);
    });
  });
});

/** A transport whose one subscription's handler the test calls directly. */
function oneSubscriptionTransport(): { transport: Transport; deliver: (message: InboundMessage) => void } {
  let handler: ((message: InboundMessage) => void) | undefined;
  const transport = {
    subscribe: async (_filter: string, onMessage: (message: InboundMessage) => void) => {
      handler = onMessage;
      return { unsubscribe: async () => undefined };
    },
  } as unknown as Transport;
  return { transport, deliver: (message) => handler!(message) };
}

describe("a loose card on the discovery topics", () => {
  it("with malformed skills is listed and searched without throwing", async () => {
    const { transport, deliver } = oneSubscriptionTransport();
    const topics = createEmqxTopicScheme();
    const directory = new EmqxDirectory({ transport, topics, quietMs: 1, maxWaitMs: 10 });
    await directory.load();
    const topic = topics.discovery({ org: "acme", unit: "plant1", agent: "odd" });
    const card = { name: "odd", skills: [null, 7, { id: "s1", name: 5, tags: "x" }, { id: "s2", name: "Echo", tags: [1, "Demo"] }, { name: "no id" }] };
    deliver({ topic, payload: new TextEncoder().encode(JSON.stringify(card)), qos: 1, retain: true, properties: {} });
    expect(directory.list({ skill: "missing" })).toEqual([]);
    expect(directory.list({ tag: "demo" }).map((a) => a.id)).toEqual(["acme/plant1/odd"]);
    expect(directory.list({ skill: "s1" }).map((a) => a.card.skills.map((s) => s.id))).toEqual([["s1", "s2"]]);
  });
});

describe("the directory of profile cards", () => {
  it("is bounded in bytes: a card past maxTotalCardBytes is not taken, and a removed one frees its share", async () => {
    const { transport, deliver } = oneSubscriptionTransport();
    const topics = createEmqxTopicScheme();
    const directory = new EmqxDirectory({ transport, topics, quietMs: 1, maxWaitMs: 10, maxTotalCardBytes: 2500 });
    await directory.load();
    const publish = (agent: string, bytes: number) => {
      const payload = new TextEncoder().encode(JSON.stringify({ name: agent, description: "x".repeat(bytes - 40) }));
      deliver({ topic: topics.discovery({ org: "acme", unit: "plant1", agent }), payload, qos: 1, retain: true, properties: {} });
    };
    publish("a", 1000);
    publish("b", 1000);
    publish("c", 1000);
    expect(directory.list().map((a) => a.agent)).toEqual(["a", "b"]);
    publish("a", 1000); // a replacement counts once
    expect(directory.list().map((a) => a.agent)).toEqual(["a", "b"]);
    deliver({ topic: topics.discovery({ org: "acme", unit: "plant1", agent: "a" }), payload: new Uint8Array(), qos: 1, retain: true, properties: {} });
    publish("c", 1000);
    expect(directory.list().map((a) => a.agent).sort()).toEqual(["b", "c"]);
  });
});

describe("a Task folded from an agent's stream items", () => {
  it("ends with OVERFLOW once the items pass the count or byte bound", () => {
    const byCount = new EmqxTaskView("t1", "c1");
    const status = { statusUpdate: { taskId: "t1", status: { state: "TASK_STATE_WORKING", message: { role: "ROLE_AGENT", messageId: "m", parts: [] } } } };
    expect(() => {
      for (let i = 0; i <= MAX_FOLDED_ITEMS; i++) byCount.add(status, 10);
    }).toThrow(expect.objectContaining({ code: "OVERFLOW" }));
    const byBytes = new EmqxTaskView("t1", "c1");
    byBytes.add(status, MAX_FOLDED_BYTES);
    expect(() => byBytes.add(status, 1)).toThrow(expect.objectContaining({ code: "OVERFLOW" }));
  });

  it("leaves malformed artifacts and histories out instead of throwing TypeErrors", () => {
    const view = new EmqxTaskView("t1", "c1");
    view.add({ task: { id: "t1", status: { state: "TASK_STATE_WORKING" }, artifacts: "x", history: 5 } });
    expect(() => view.add({ artifactUpdate: { taskId: "t1", artifact: { artifactId: "a", parts: 7 } } })).not.toThrow();
    expect(() => view.add({ artifactUpdate: { taskId: "t1", artifact: { artifactId: "a", parts: [{ text: "1" }] } } })).not.toThrow();
    expect(() => view.add({ artifactUpdate: { taskId: "t1", append: true, artifact: { artifactId: "a", parts: [{ text: "2" }] } } })).not.toThrow();
    expect(() => view.add({ statusUpdate: { taskId: "t1", status: { state: "TASK_STATE_WORKING", message: { role: "ROLE_AGENT" } } } })).not.toThrow();
    expect(view.task?.artifacts).toEqual([{ artifactId: "a", parts: [{ text: "1" }, { text: "2" }] }]);
  });
});

describe("a responder id no topic can be built from", () => {
  const target = { org: "acme", unit: "plant1", agent: "echo" };
  const props = { userProperties: { "a2a-responder-agent-id": "worker-1" } };

  it("is not followed by a task's later calls", () => {
    const responders = new EmqxResponders();
    responders.observe({ target, taskId: "t1", userProperties: props.userProperties, result: {} });
    expect(() => createEmqxTopicScheme().request(responders.route(target, "t1"))).not.toThrow();
  });

  it("makes a pooled reply a protocol error (INVALID_RESPONSE), not a topic error", () => {
    const transport = { subscribe: async () => ({ unsubscribe: async () => undefined }) } as unknown as Transport;
    const routes = new EmqxPoolRoutes({ transport, topics: createEmqxTopicScheme() });
    expect(() => routes.observe({ fail: () => undefined }, { org: "acme", unit: "plant1", agent: "pool", pool: "p" }, props)).toThrow(
      expect.objectContaining({ code: "INVALID_RESPONSE" }),
    );
  });
});
