import { afterEach, describe, expect, it } from "vitest";
import { createTopicScheme, InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { MqttTransport } from "@a2a/transport/mqtt";
import { startAedes } from "@a2a/testing";
import { AgentDirectory } from "../src/discovery.js";
import { MessageArrivals, retainedLoadSettled } from "../src/retained-load.js";
import { publishCard } from "./helpers/scripted-agent.js";

describe("the directory's initial load", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("reads every retained card out of a real broker even when that takes longer than maxWaitMs", async () => {
    const aedes = await startAedes();
    cleanups.push(() => aedes.close());
    const publisher = new MqttTransport({ url: aedes.url, clean: true });
    await publisher.connect();
    cleanups.push(() => publisher.close());
    const count = 3_000;
    await Promise.all(Array.from({ length: count }, (_, i) => publishCard(publisher, { org: "fleet", agent: `a${i}`, status: "online" })));

    const reader = new MqttTransport({ url: aedes.url, clean: true });
    await reader.connect();
    cleanups.push(() => reader.close());
    // A 1 ms cap is far shorter than reading 3,000 cards out: only the retain flags keep the load going.
    const directory = new AgentDirectory({ transport: reader, topics: createTopicScheme({ prefix: "" }), maxWaitMs: 1 });
    cleanups.push(() => directory.close());
    await directory.load();
    expect(directory.list().filter((a) => a.org === "fleet")).toHaveLength(count);
  });

  it("still ends at maxWaitMs when only live changes keep arriving", async () => {
    const broker = new InMemoryBroker();
    const publisher = new InMemoryTransport({ broker });
    await publisher.connect();
    const reader = new InMemoryTransport({ broker });
    await reader.connect();
    cleanups.push(async () => {
      await reader.close();
      await publisher.close();
    });
    const directory = new AgentDirectory({ transport: reader, topics: createTopicScheme({ prefix: "" }), quietMs: 50, maxWaitMs: 300 });
    cleanups.push(() => directory.close());
    await directory.start();
    // A card changes every 10 ms: the directory is never quiet, and none of it is retained delivery.
    let changes = 0;
    const chatter = setInterval(() => void publishCard(publisher, { org: "busy", agent: `b${changes++ % 5}`, status: "online" }), 10);
    cleanups.push(async () => clearInterval(chatter));
    const started = Date.now();
    await directory.load();
    clearInterval(chatter);
    expect(changes).toBeGreaterThan(5);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(directory.list().filter((a) => a.org === "busy").length).toBeGreaterThan(0);
  });

  it("does not take a stall of the process for quiet: messages the stall held up are still waited for", async () => {
    const subscribedAt = Date.now();
    const arrivals = new MessageArrivals();
    let seenAtEnd: number | undefined;
    const settled = retainedLoadSettled({ quietMs: 50, maxWaitMs: 2000, subscribedAt: () => subscribedAt, arrivals, closed: () => false }).then(() => {
      seenAtEnd = arrivals.lastMessageAt;
    });
    // The process is held up past the quiet period (a long synchronous task, a broker in
    // the same process reading out its store); the retained message it delayed arrives a
    // few turns of the loop afterwards.
    const until = Date.now() + 150;
    while (Date.now() < until);
    const later = (turns: number): void => {
      if (turns === 0) arrivals.note({ retain: true });
      else setImmediate(() => later(turns - 1));
    };
    later(3);
    await settled;
    expect(seenAtEnd).toBeGreaterThan(0);
  });
});
