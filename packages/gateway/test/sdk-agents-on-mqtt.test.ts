// Agents written for @a2a-js/sdk reach MQTT clients: an SDK executor hosted on the broker,
// and an HTTP agent built on the SDK exposed on the broker, both called with @a2a/client.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { A2AClient, isA2AProtocolError, stateOf, textOf } from "@a2a/client";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { BINDING_URI } from "@a2a/transport/binding";
import { exposeHttpAgent, type ExposedAgent } from "../src/index.js";
import { serveSdkAgent, type ServedSdkAgent } from "../src/sdk/index.js";
import { sdkCard, sdkEchoExecutor, startSdkHttpAgent } from "./helpers/sdk-echo.js";

let broker: AedesHandle;
let client: A2AClient;

beforeAll(async () => {
  broker = await startAedes();
  client = await A2AClient.connect({ broker: broker.url });
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
});

const message = (text: string) => ({ message: { messageId: crypto.randomUUID(), role: "ROLE_USER" as const, parts: [{ text }] } });

async function exercise(agentId: string): Promise<void> {
  const done = await client.agent(agentId).sendMessage(message("hi"));
  expect(stateOf(done)).toBe("TASK_STATE_COMPLETED");
  expect(textOf(done)).toBe("SDK echo: hi");
  const taskId = (done as { task: { id: string } }).task.id;
  const got = await client.agent(agentId).getTask({ id: taskId });
  expect(got.status.state).toBe("TASK_STATE_COMPLETED");

  const states: string[] = [];
  for await (const event of client.agent(agentId).sendStreamingMessage(message("streamed"))) {
    const state = stateOf(event);
    if (state !== undefined) states.push(state);
  }
  expect(states.at(-1)).toBe("TASK_STATE_COMPLETED");

  const error = await client.agent(agentId).getTask({ id: "no-such-task" }).catch((e: unknown) => e);
  expect(isA2AProtocolError(error) && error.code).toBe(-32001);
}

describe("an SDK executor served over MQTT", () => {
  let served: ServedSdkAgent;
  beforeAll(async () => {
    served = await serveSdkAgent({ broker: broker.url, id: "sdk/echo", agentCard: sdkCard([]), executor: sdkEchoExecutor() });
  });
  afterAll(() => served?.close());

  test("its card is announced with the MQTT interface", async () => {
    await waitFor(async () => (await client.findAgents()).some((a) => a.id === "sdk/echo"));
    const info = (await client.findAgents()).find((a) => a.id === "sdk/echo")!;
    expect(info.card.name).toBe("SDK Echo");
    expect(info.card.supportedInterfaces[0]).toMatchObject({ url: "mqtt://sdk/echo", protocolBinding: BINDING_URI });
  });

  test("send, get, stream and errors through @a2a/client", () => exercise("sdk/echo"));
});

for (const prefer of ["JSONRPC", "HTTP+JSON"] as const) {
  describe(`an HTTP agent built on the SDK, exposed on the broker (${prefer})`, () => {
    let http: Awaited<ReturnType<typeof startSdkHttpAgent>>;
    let exposed: ExposedAgent;
    const id = prefer === "JSONRPC" ? "http/sdk-echo" : "http/sdk-echo-rest";
    beforeAll(async () => {
      http = await startSdkHttpAgent();
      exposed = await exposeHttpAgent({ broker: broker.url, cardUrl: http.cardUrl, id, prefer, healthIntervalMs: 100 });
    });
    afterAll(async () => {
      await exposed?.close();
      await http?.stop();
    });

    test("the card keeps the HTTP interfaces after the MQTT one", async () => {
      await waitFor(async () => (await client.findAgents()).some((a) => a.id === id));
      const info = (await client.findAgents()).find((a) => a.id === id)!;
      const bindings = info.card.supportedInterfaces.map((i) => i.protocolBinding);
      expect([...new Set(bindings)]).toEqual([BINDING_URI, "JSONRPC", "HTTP+JSON"]);
    });

    test("send, get, stream and errors through @a2a/client", () => exercise(id));

    test("another MQTT client does not see the task (the HTTP agent sees one caller)", async () => {
      const done = await client.agent(id).sendMessage(message("private"));
      const taskId = (done as { task: { id: string } }).task.id;
      const other = await A2AClient.connect({ broker: broker.url });
      try {
        const error = await other.agent(id).getTask({ id: taskId }).catch((e: unknown) => e);
        expect(isA2AProtocolError(error) && error.code).toBe(-32001);
        const listed = await other.agent(id).listTasks({});
        expect(listed.tasks.map((t) => t.id)).not.toContain(taskId);
        expect((await client.agent(id).getTask({ id: taskId })).id).toBe(taskId);
      } finally {
        await other.close();
      }
    });
  });
}

test("presence follows the HTTP agent's health", async () => {
  const http = await startSdkHttpAgent();
  const exposed = await exposeHttpAgent({ broker: broker.url, cardUrl: http.cardUrl, id: "http/flaky", healthIntervalMs: 50 });
  try {
    await waitFor(async () => (await client.findAgents()).find((a) => a.id === "http/flaky")?.status === "online");
    await http.stop();
    await waitFor(async () => (await client.findAgents()).find((a) => a.id === "http/flaky")?.status === "offline", { timeoutMs: 5000 });
    expect(exposed.healthy).toBe(false);
  } finally {
    await exposed.close();
  }
});
