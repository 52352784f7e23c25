import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import mqtt, { type MqttClient } from "mqtt";
import { presenceOf } from "@a2a/transport/binding";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { A2AAgent } from "@a2a/agent";
import { seedRequest } from "./helpers.js";

interface Broker {
  url: string;
  close(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/echo-agent.ts", import.meta.url));

type Received = { topic: string; json: Record<string, unknown> | undefined; raw: Buffer; packet: mqtt.IPublishPacket };

async function plainClient(url: string, protocolVersion: 4 | 5): Promise<{ client: MqttClient; got: Received[] }> {
  const client = await mqtt.connectAsync(url, { protocolVersion, clean: true, clientId: `plain-${Math.random().toString(16).slice(2)}` });
  const got: Received[] = [];
  client.on("message", (topic, raw, packet) => {
    let json: Record<string, unknown> | undefined;
    try {
      json = raw.length === 0 ? undefined : (JSON.parse(raw.toString()) as Record<string, unknown>);
    } catch {
      json = undefined;
    }
    got.push({ topic, json, raw, packet });
  });
  return { client, got };
}

function suite(name: string, start: () => Promise<Broker>, protocolVersion: 4 | 5) {
  describe(name, () => {
    let broker: Broker;
    let agent: A2AAgent | undefined;
    const clients: MqttClient[] = [];
    const children: ChildProcess[] = [];

    beforeAll(async () => {
      broker = await start();
    });
    afterAll(async () => {
      await broker.close();
    });
    afterEach(async () => {
      await agent?.stop({ gracePeriodMs: 100 });
      agent = undefined;
      for (const c of clients.splice(0)) await c.endAsync(true);
      for (const child of children.splice(0)) child.kill("SIGKILL");
    });

    async function startAgent(agentId: string): Promise<A2AAgent> {
      agent = new A2AAgent({ orgId: "global-industries", agentId, name: "Supply Chain Agent", description: "Inventory", broker: broker.url });
      agent.registerTool(function inventoryCheck(p) { return { stock: p.product_id === "WIDGET-A" ? 500 : 0 }; }, {
        id: "inventory-check",
        name: "Check Inventory",
        description: "Returns stock levels for a product ID.",
      });
      await agent.start();
      return agent;
    }

    it("answers the seed Task Request from a plain MQTT client with the seed Task Result", async () => {
      await startAgent("seed-1");
      const { client, got } = await plainClient(broker.url, protocolVersion);
      clients.push(client);
      await client.subscribeAsync("global-industries/seed-1/results", { qos: 1 });
      await client.publishAsync("global-industries/seed-1/tasks", JSON.stringify(seedRequest), { qos: 1 });
      const result = await waitFor(() => got.find((m) => m.topic.endsWith("/results")));
      expect(result.json).toMatchObject({
        id: "req-123",
        taskId: "task-abc-789",
        status: "completed",
        result: { status: "completed", result: { stock: 500 } },
      });
    });

    it("keeps a retained card with the seed fields", async () => {
      await startAgent("seed-2");
      const { client, got } = await plainClient(broker.url, protocolVersion);
      clients.push(client);
      await client.subscribeAsync("discovery/global-industries/seed-2", { qos: 1 });
      const card = await waitFor(() => got.find((m) => m.packet.retain));
      expect(card.json).toMatchObject({
        protocolVersion: "1.0",
        name: "Supply Chain Agent",
        url: "mqtt://global-industries/seed-2",
        preferredTransport: "MQTT",
        skills: [{ id: "inventory-check", name: "Check Inventory", description: "Returns stock levels for a product ID." }],
      });
      expect(presenceOf(card.json)?.status).toBe("online");
    });

    it("replies to a JSON-RPC SendMessage from a plain MQTT client", async () => {
      await startAgent("rpc-1");
      const { client, got } = await plainClient(broker.url, protocolVersion);
      clients.push(client);
      const replyTopic = `replies/${client.options.clientId}/inbox`;
      await client.subscribeAsync(replyTopic, { qos: 1 });
      const request = {
        jsonrpc: "2.0",
        id: 0,
        method: "SendMessage",
        params: { message: { messageId: "m-1", role: "ROLE_USER", parts: [{ data: { product_id: "WIDGET-A" } }] } },
      };
      const correlationData = Buffer.from("corr-1");
      if (protocolVersion === 5) {
        await client.publishAsync("global-industries/rpc-1/tasks", JSON.stringify(request), {
          qos: 1,
          properties: { responseTopic: replyTopic, correlationData, userProperties: { "A2A-Version": "1.0" } },
        });
      } else {
        const body = { ...request, replyTo: replyTopic, serviceParams: { "A2A-Version": "1.0" } };
        await client.publishAsync("global-industries/rpc-1/tasks", JSON.stringify(body), { qos: 1 });
      }
      const reply = await waitFor(() => got.find((m) => m.topic === replyTopic));
      expect(reply.json).toMatchObject({
        jsonrpc: "2.0",
        id: 0,
        result: { task: { status: { state: "TASK_STATE_COMPLETED" }, artifacts: [{ parts: [{ data: { stock: 500 } }] }] } },
      });
      if (protocolVersion === 5) expect(Buffer.from(reply.packet.properties?.correlationData ?? []).toString()).toBe("corr-1");
    });

    it("marks the agent offline through its will when its process dies", async () => {
      const { client, got } = await plainClient(broker.url, protocolVersion);
      clients.push(client);
      await client.subscribeAsync("discovery/global-industries/crashy", { qos: 1 });
      const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", fixture, broker.url, "global-industries", "crashy"], {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      let stdout = "";
      child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      await waitFor(() => stdout.includes("ready"), { timeoutMs: 20_000, message: `the agent process to start (${stderr})` });
      await waitFor(() => got.find((m) => presenceOf(m.json)?.status === "online"), { message: "the online card" });
      child.kill("SIGKILL");
      const offline = await waitFor(() => got.find((m) => presenceOf(m.json)?.status === "offline"), {
        timeoutMs: 10_000,
        message: "the will (offline card)",
      });
      expect(offline.json).toMatchObject({ name: "Echo Agent", url: "mqtt://global-industries/crashy" });
    });
  });
}

suite("on aedes (MQTT 3.1.1)", () => startAedes(), 4);
describe.runIf(requireMosquitto())("mosquitto", () => {
  suite("on mosquitto (MQTT 5)", () => startMosquitto(), 5);
});
