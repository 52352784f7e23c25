import { afterEach, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { PRESENCE_WILL_EXPIRY_SECONDS } from "@a2a/transport/binding";
import { A2AClient } from "../src/index.js";

function doomedAgent(broker: string | InMemoryTransport): A2AAgent {
  const agent = new A2AAgent({ orgId: "test-org", agentId: "doomed", name: "Doomed", description: "Dies", broker });
  agent.registerTool(function ping() {
    return "pong";
  });
  return agent;
}

/** An agent on `broker` whose transport carries the agent's will and can be made to die. */
async function startDoomedAgent(broker: InMemoryBroker, protocolVersion: 4 | 5) {
  // The will of an agent with the same card, for a transport the test controls.
  const will = doomedAgent("mqtt://127.0.0.1:1").offlineWill();
  const transport = new InMemoryTransport({ broker, protocolVersion, will, reconnect: false });
  const agent = doomedAgent(transport);
  await agent.start();
  return { agent, transport };
}

describe("since when a crashed agent is offline", () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.allSettled(closing.splice(0).map((close) => close()));
  });

  it("is read from the will's remaining expiry on MQTT 5, not the time the agent came online", async () => {
    const broker = new InMemoryBroker();
    const will = doomedAgent("mqtt://127.0.0.1:1").offlineWill();
    expect(will.properties?.messageExpiryInterval).toBe(PRESENCE_WILL_EXPIRY_SECONDS);
    // The will as a broker hands it out 90 s after it was sent: 90 s of its expiry are gone.
    const publisher = new InMemoryTransport({ broker, protocolVersion: 5 });
    closing.push(() => publisher.close());
    await publisher.connect();
    const remaining = PRESENCE_WILL_EXPIRY_SECONDS - 90;
    await publisher.publish(will.topic, will.payload, { qos: 1, retain: true, properties: { ...will.properties, messageExpiryInterval: remaining } });
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion: 5 }) });
    closing.push(() => client.close());
    const [info] = await client.findAgents();
    expect(info).toMatchObject({ id: "test-org/doomed", status: "offline" });
    const since = Date.parse(info?.since ?? "");
    expect(Math.abs(since - (Date.now() - 90_000))).toBeLessThan(3_000);
  });

  it("is unknown for a retained will on MQTT 3.1.1, and the arrival time for a will seen live", async () => {
    const broker = new InMemoryBroker();
    const watcher = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion: 4 }) });
    closing.push(() => watcher.close());
    const { transport } = await startDoomedAgent(broker, 4);
    // The agent's connection is gone for good (reconnect: false): closing it is the cleanup.
    closing.push(() => transport.close());
    const events = watcher.watchAgents();
    const iterator = events[Symbol.asyncIterator]();
    const next = async () => {
      const result = await iterator.next();
      return result.done === true ? undefined : result.value;
    };
    let event = await next();
    while (event?.type !== "online") event = await next();
    const before = Date.now();
    transport.simulateConnectionLoss();
    while (event?.type !== "offline") event = await next();
    expect(Date.parse(event.agent.since ?? "")).toBeGreaterThanOrEqual(before);
    await iterator.return?.();

    const late = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion: 4 }) });
    closing.push(() => late.close());
    const [info] = await late.findAgents();
    expect(info?.status).toBe("offline");
    expect(info?.since).toBeUndefined();
  });
});
