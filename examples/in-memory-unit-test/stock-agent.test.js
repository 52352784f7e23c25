// Run with `node --test`: the agent and the client share an InMemoryBroker, with MQTT's
// semantics (QoS, retained cards, wills) and no network.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { A2AClient, dataOf } from "@a2a/client";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { createStockAgent } from "./stock-agent.js";

const broker = new InMemoryBroker();
const agent = createStockAgent({ broker: new InMemoryTransport({ broker }), stock: { "PMP-2000": 12 } });
const client = new A2AClient({ broker: new InMemoryTransport({ broker }) });

before(() => agent.start());
after(async () => {
  await client.close();
  await agent.stop();
});

test("the agent's card is discovered on the in-memory broker", async () => {
  const agents = await client.findAgents();
  assert.deepEqual(agents.map((a) => [a.id, a.status]), [["acme/inventory", "online"]]);
});

test("check-stock answers with the level of each SKU, 0 for unknown ones", async () => {
  const message = { messageId: crypto.randomUUID(), role: "ROLE_USER", parts: [{ data: { skus: ["PMP-2000", "NOPE"] } }], metadata: { skillId: "check-stock" } };
  const result = await client.agent("acme/inventory").sendMessage({ message });
  assert.deepEqual(dataOf(result), { levels: { "PMP-2000": 12, NOPE: 0 } });
});
