// Code written for @a2a-js/sdk calls an MQTT agent unchanged apart from registering the
// MQTT transport factory with its ClientFactory.
import { Role, TaskState, type SendMessageRequest } from "@a2a-js/sdk";
import { ClientFactory, ClientFactoryOptions, type Client } from "@a2a-js/sdk/client";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { A2AClient } from "@a2a/client";
import { startAedes, type AedesHandle } from "@a2a/testing";
import { MqttTransportFactory } from "../src/sdk/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";

let broker: AedesHandle;
let agent: A2AAgent;
let client: A2AClient;
let sdk: Client;

beforeAll(async () => {
  broker = await startAedes();
  agent = await startEchoAgent(broker.url, "acme", "echo");
  client = await A2AClient.connect({ broker: broker.url });
  const card = (await client.findAgents()).find((a) => a.id === "acme/echo")!.card;
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, { transports: [new MqttTransportFactory({ client })] }));
  sdk = await factory.createFromAgentCard(card as never);
});

afterAll(async () => {
  await client?.close();
  await agent?.stop({ gracePeriodMs: 100 });
  await broker?.close();
});

const request = (text: string): SendMessageRequest => ({
  tenant: "",
  message: {
    messageId: crypto.randomUUID(),
    contextId: "",
    taskId: "",
    role: Role.ROLE_USER,
    parts: [{ content: { $case: "text", value: text }, metadata: undefined, filename: "", mediaType: "text/plain" }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  },
  configuration: undefined,
  metadata: undefined,
});

test("the factory picks the MQTT binding from the card", () => {
  expect(sdk.transport.protocolName).toBe("urn:a2a-mqtt:binding:mqtt:v1");
});

test("send, get, stream and the SDK's error classes", async () => {
  const task = (await sdk.sendMessage(request("hi"))) as { id: string; status?: { state: TaskState }; artifacts: { parts: { content?: { value: unknown } }[] }[] };
  expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
  expect(task.artifacts[0]?.parts[0]?.content?.value).toBe("Echo: hi");
  expect((await sdk.getTask({ tenant: "", id: task.id, historyLength: undefined })).id).toBe(task.id);
  const cases: string[] = [];
  for await (const event of sdk.sendMessageStream(request("streamed"))) cases.push(event.payload?.$case ?? "");
  expect(cases[0]).toBe("task");
  expect(cases).toContain("artifactUpdate");
  await expect(sdk.getTask({ tenant: "", id: "missing", historyLength: undefined })).rejects.toMatchObject({ name: "TaskNotFoundError" });
});
