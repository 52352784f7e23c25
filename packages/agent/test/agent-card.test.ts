import { afterEach, describe, expect, it } from "vitest";
import { AgentCardSchema } from "@a2a/schema";
import { InMemoryBroker, InMemoryTransport, type InboundMessage } from "@a2a/transport";
import { PRESENCE_EXTENSION_URI, presenceOf } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import { A2AAgent } from "@a2a/agent";

const transports: InMemoryTransport[] = [];
afterEach(async () => {
  for (const t of transports.splice(0)) await t.close();
});

async function watcher(broker: InMemoryBroker, topic: string): Promise<InboundMessage[]> {
  const t = new InMemoryTransport({ broker, clean: true });
  transports.push(t);
  await t.connect();
  const seen: InboundMessage[] = [];
  await t.subscribe(topic, (m) => seen.push(m));
  return seen;
}

const text = (m: InboundMessage | undefined) => new TextDecoder().decode(m?.payload);

describe("the retained Agent Card", () => {
  it("has the v1.0 fields, the seed fields and presence online; stop() clears it", async () => {
    const broker = new InMemoryBroker();
    const transport = new InMemoryTransport({ broker });
    transports.push(transport);
    const agent = new A2AAgent({ orgId: "my-org", agentId: "agent-001", name: "Echo Agent", description: "Echoes messages", broker: transport });
    agent.registerTool(function echo(params) { return `Echo: ${String(params.message)}`; }, { description: "Echoes the message", examples: ["hi"] });
    await agent.start();
    const seen = await watcher(broker, "discovery/my-org/agent-001");
    const retained = await waitFor(() => seen.find((m) => m.retain));
    const card = JSON.parse(text(retained)) as Record<string, unknown>;
    expect(card).toMatchObject({
      protocolVersion: "1.0",
      name: "Echo Agent",
      description: "Echoes messages",
      url: "mqtt://my-org/agent-001",
      preferredTransport: "MQTT",
      supportedInterfaces: [
        { url: "mqtt://my-org/agent-001", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0" },
        { url: "mqtt://my-org/agent-001", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "0.3" },
      ],
      capabilities: { streaming: true },
      skills: [{ id: "echo", name: "echo", description: "Echoes the message", tags: ["echo"], examples: ["hi"] }],
    });
    expect(AgentCardSchema.safeParse(card).success).toBe(true);
    expect(presenceOf(card)?.status).toBe("online");
    expect(retained.properties.userProperties?.["a2a-status"]).toBe("online");

    await agent.stop();
    const cleared = await waitFor(() => seen.find((m) => m.payload.byteLength === 0));
    expect(cleared).toBeDefined();
    const late = await watcher(broker, "discovery/my-org/agent-001");
    // A fresh subscriber gets nothing retained: wait for a round trip on another topic first.
    const probe = await watcher(broker, "probe");
    await transports.at(-1)!.publish("probe", "x");
    await waitFor(() => probe.length === 1);
    expect(late).toEqual([]);
    expect(transport.state).toBe("connected"); // not owned: left open
  });

  it("publishes the card again when the connection comes back to a broker that forgot it", async () => {
    const broker = new InMemoryBroker({ persistence: false });
    const transport = new InMemoryTransport({ broker, clientId: "agent-x" });
    transports.push(transport);
    const agent = new A2AAgent({ orgId: "o", agentId: "a", name: "A", description: "d", broker: transport });
    agent.registerTool(function t() { return 1; });
    await agent.start();
    expect(broker.retainedMessage("discovery/o/a")).toBeDefined();
    const reconnected = new Promise<void>((resolve) => transport.on("connected", (e) => e.reconnected && resolve()));
    broker.restart(); // no persistence: retained messages are gone
    expect(broker.retainedMessage("discovery/o/a")).toBeUndefined();
    await reconnected;
    const again = await waitFor(() => broker.retainedMessage("discovery/o/a"), { message: "the card to be republished" });
    expect(presenceOf(JSON.parse(new TextDecoder().decode(again.payload)))?.status).toBe("online");
    await agent.stop();
  });

  it("declares the offline will as the same card with presence offline", () => {
    const agent = new A2AAgent({ orgId: "o", agentId: "a", name: "A", description: "d", broker: "mqtt://127.0.0.1:1" });
    agent.registerTool(function t() { return 1; });
    const will = agent.offlineWill();
    expect(will).toMatchObject({ topic: "discovery/o/a", retain: true, qos: 1 });
    const card = JSON.parse(String(will.payload)) as { capabilities: { extensions: { uri: string }[] } };
    expect(presenceOf(card)?.status).toBe("offline");
    expect(card.capabilities.extensions.map((e) => e.uri)).toContain(PRESENCE_EXTENSION_URI);
  });

  it("refuses ids that cannot be topic segments and start() without skills", async () => {
    expect(() => new A2AAgent({ orgId: "a/b", agentId: "x", name: "n", description: "d", broker: "mqtt://h" })).toThrow();
    expect(() => new A2AAgent({ orgId: "o", agentId: "#", name: "n", description: "d", broker: "mqtt://h" })).toThrow();
    const agent = new A2AAgent({ orgId: "o", agentId: "a", name: "n", description: "d", broker: new InMemoryTransport() });
    await expect(agent.start()).rejects.toThrow(/Register at least one skill/);
  });
});
