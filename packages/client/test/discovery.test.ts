import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { startAedes } from "@a2a/testing";
import { A2AClient, type AgentEvent } from "../src/index.js";
import { clearCard, publishCard, testCard } from "./helpers/scripted-agent.js";

describe("discovery", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(protocolVersion: 4 | 5 = 5) {
    const broker = new InMemoryBroker();
    const publisher = new InMemoryTransport({ broker, protocolVersion });
    await publisher.connect();
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, protocolVersion }) });
    cleanups.push(async () => {
      await client.close();
      await publisher.close();
    });
    return { publisher, client };
  }

  it("lists the agents whose retained cards were published before the client connected", async () => {
    const { publisher, client } = await setup();
    await publishCard(publisher, { org: "acme", agent: "translator", status: "online", card: testCard("acme", "translator", [{ id: "translate", tags: ["Language"] }]) });
    await publishCard(publisher, { org: "acme", agent: "echo", status: "online", card: testCard("acme", "echo", [{ id: "echo", tags: ["test"] }]) });
    await publishCard(publisher, { org: "other", agent: "sleeper", status: "offline" });
    const agents = await client.findAgents();
    expect(agents.map((a) => [a.id, a.status])).toEqual([
      ["acme/echo", "online"],
      ["acme/translator", "online"],
      ["other/sleeper", "offline"],
    ]);
    expect(agents[1]?.card.name).toBe("translator of acme");
    expect(agents[1]?.since).toMatch(/Z$/);
  });

  it("finds agents by skill id or name and by tag, case-insensitively", async () => {
    const { publisher, client } = await setup();
    await publishCard(publisher, { org: "acme", agent: "translator", status: "online", card: testCard("acme", "translator", [{ id: "translate", tags: ["Language"] }]) });
    await publishCard(publisher, { org: "acme", agent: "echo", status: "online" });
    expect((await client.findAgents({ skill: "translate" })).map((a) => a.id)).toEqual(["acme/translator"]);
    expect((await client.findAgents({ tag: "language" })).map((a) => a.id)).toEqual(["acme/translator"]);
    expect((await client.findAgents({ tag: "test", status: "online" })).map((a) => a.id)).toEqual(["acme/echo"]);
    expect(await client.findAgents({ skill: "nothing" })).toEqual([]);
  });

  it("reads a seed agent's compact card", async () => {
    const { publisher, client } = await setup(4);
    const seedCard = {
      protocolVersion: "1.0",
      name: "Supply Chain Agent",
      url: "mqtt://global-industries/supply-chain-01",
      preferredTransport: "MQTT",
      skills: [{ id: "inventory-check", name: "Check Inventory", description: "Returns stock levels for a product ID." }],
    };
    await publisher.publish("discovery/global-industries/supply-chain-01", JSON.stringify(seedCard), { retain: true });
    const [agent] = await client.findAgents({ skill: "inventory-check" });
    expect(agent?.id).toBe("global-industries/supply-chain-01");
    expect(agent?.status).toBe("online");
    expect(agent?.card.name).toBe("Supply Chain Agent");
  });

  it("ignores payloads that are not cards", async () => {
    const { publisher, client } = await setup();
    await publisher.publish("discovery/acme/junk", "{not json", { retain: true });
    await publisher.publish("discovery/acme/array", "[1,2]", { retain: true });
    await publisher.publish("discovery/acme/nameless", JSON.stringify({ skills: [] }), { retain: true });
    // Cards in the 1.0 shape with one value wrong: neither a 1.0 nor a compact card.
    await publishCard(publisher, { org: "acme", agent: "blank", status: "online", card: { ...testCard("acme", "blank"), name: "" } });
    await publishCard(publisher, { org: "acme", agent: "skill-less", status: "online", card: { ...testCard("acme", "skill-less"), skills: "echo" } });
    await publishCard(publisher, { org: "acme", agent: "good", status: "online" });
    expect((await client.findAgents()).map((a) => a.id)).toEqual(["acme/good"]);
  });

  it("watches agents come online, change, go offline and disappear", async () => {
    const { publisher, client } = await setup();
    await publishCard(publisher, { org: "acme", agent: "early", status: "online" });
    const controller = new AbortController();
    const events: AgentEvent[] = [];
    const watching = (async () => {
      for await (const event of client.watchAgents({ signal: controller.signal })) {
        events.push(event);
        if (events.length === 6) controller.abort();
      }
    })();
    await expect.poll(() => events.length).toBe(1);
    await publishCard(publisher, { org: "acme", agent: "late", status: "online" });
    await publishCard(publisher, { org: "acme", agent: "late", status: "online", card: { ...testCard("acme", "late"), version: "2.0.0" } });
    await publishCard(publisher, { org: "acme", agent: "late", status: "offline" });
    await publishCard(publisher, { org: "acme", agent: "late", status: "online" });
    await clearCard(publisher, "acme", "late");
    await watching;
    expect(events.map((e) => `${e.type} ${e.agent.id}`)).toEqual([
      "online acme/early",
      "online acme/late",
      "updated acme/late",
      "offline acme/late",
      "online acme/late",
      "removed acme/late",
    ]);
    expect(events[2]?.agent.card.version).toBe("2.0.0");
  });

  it("ends a watch when the client closes", async () => {
    const { client } = await setup();
    const seen: AgentEvent[] = [];
    const watching = (async () => {
      for await (const e of client.watchAgents()) seen.push(e);
    })();
    await client.findAgents(); // discovery is running
    await client.close();
    await watching;
    expect(seen).toEqual([]);
  });

  it("uses the MQTT 5 a2a-status property when the card has no presence extension", async () => {
    const { publisher, client } = await setup(5);
    await publisher.publish("discovery/acme/plain", JSON.stringify(testCard("acme", "plain")), {
      retain: true,
      properties: { userProperties: { "a2a-status": "offline" } },
    });
    expect((await client.findAgents()).map((a) => a.status)).toEqual(["offline"]);
  });
});

describe("discovery on a client that owns its connection", () => {
  it("ends a watch when the client closes", async () => {
    const aedes = await startAedes();
    try {
      const client = new A2AClient({ broker: aedes.url });
      const watching = (async () => {
        for await (const _ of client.watchAgents()) void _;
      })();
      await client.findAgents();
      await client.close();
      await watching;
      expect(client.clientId).toMatch(/^a2a-client-[0-9a-f]{12}$/);
    } finally {
      await aedes.close();
    }
  });
});
