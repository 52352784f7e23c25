// The profile over transports the application made (in process): the agent's own
// Transport and a second one for the profile, with the profile's will.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { A2AAgent, EmqxProfileUnsupportedError, emqxOfflineWill } from "@a2a/agent";
import { InMemoryBroker, InMemoryTransport, type InboundMessage } from "@a2a/transport";
import { waitFor } from "@a2a/testing";

function echoAgent(broker: InMemoryTransport, emqx: ConstructorParameters<typeof A2AAgent>[0]["emqx"]): A2AAgent {
  const agent = new A2AAgent({ orgId: "acme", agentId: "echo", name: "Echo", description: "Echoes", broker, emqx, onError: () => undefined });
  agent.registerTool(function echo(params) {
    return `Echo: ${String(params.message)}`;
  });
  return agent;
}

describe("the EMQX profile on transports given to the agent", () => {
  it("asks for emqx.broker when the agent's own broker is a Transport", async () => {
    const agent = echoAgent(new InMemoryTransport({ broker: new InMemoryBroker() }), { unit: "plant1" });
    await expect(agent.start()).rejects.toThrow(/set emqx\.broker .*"acme\/plant1\/echo"/);
  });

  it("serves the profile on a given MQTT 5 transport, whose will is emqxOfflineWill()", async () => {
    const broker = new InMemoryBroker();
    const profile = new InMemoryTransport({ broker, clientId: "acme/plant1/echo" });
    const agent = echoAgent(new InMemoryTransport({ broker }), { unit: "plant1", broker: profile });
    expect(emqxOfflineWill({ orgId: "acme", agentId: "echo", emqx: { unit: "plant1" } }, agent.card)).toMatchObject({
      topic: "$a2a/v1/discovery/acme/plant1/echo",
      retain: true,
      properties: { userProperties: { "a2a-status": "offline", "a2a-status-source": "lwt" } },
    });
    await profile.connect();
    await agent.start();
    const requester = new InMemoryTransport({ broker, clientId: "acme/plant1/req" });
    await requester.connect();
    const replies: InboundMessage[] = [];
    await requester.subscribe("$a2a/v1/reply/acme/plant1/req/s1", (m) => replies.push(m));
    const taskId = randomUUID();
    const body = { jsonrpc: "2.0", id: 1, method: "SendMessage", params: { message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "hi" }], taskId } } };
    await requester.publish("$a2a/v1/request/acme/plant1/echo", JSON.stringify(body), {
      properties: { responseTopic: "$a2a/v1/reply/acme/plant1/req/s1", correlationData: new TextEncoder().encode("c1") },
    });
    const reply = await waitFor(() => replies[0], { message: "the reply" });
    // A skill added later: the profile card is published again, in full.
    agent.skill({ id: "later", name: "Later", description: "added while running", tags: ["late"], handler: () => "late" });
    const cards: InboundMessage[] = [];
    await waitFor(async () => {
      const watcher = new InMemoryTransport({ broker });
      await watcher.connect();
      await watcher.subscribe("$a2a/v1/discovery/acme/plant1/echo", (m) => cards.push(m));
      await watcher.close();
      return cards.some((m) => new TextDecoder().decode(m.payload).includes('"later"'));
    }, { message: "the republished profile card" });
    expect(new TextDecoder().decode(reply.properties.correlationData)).toBe("c1");
    expect(JSON.parse(new TextDecoder().decode(reply.payload))).toMatchObject({ id: 1, result: { task: { id: taskId, status: { state: "TASK_STATE_COMPLETED" } } } });
    await agent.stop({ gracePeriodMs: 10 });
    await requester.close();
    await profile.close();
  });

  it("refuses a given transport on MQTT 3.1.1", async () => {
    const broker = new InMemoryBroker();
    const profile = new InMemoryTransport({ broker, clientId: "acme/plant1/echo", protocolVersion: 4 });
    const agent = echoAgent(new InMemoryTransport({ broker }), { unit: "plant1", broker: profile });
    await expect(agent.start()).rejects.toBeInstanceOf(EmqxProfileUnsupportedError);
  });
});
