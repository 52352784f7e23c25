// The official SDK's client, unmodified, against agents on an MQTT broker through the
// gateway: the card URL is all it is given.
import { Role, TaskState, type SendMessageRequest } from "@a2a-js/sdk";
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory, RestTransportFactory, type Client } from "@a2a-js/sdk/client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import { createGateway, type Gateway } from "../src/index.js";
import { startEchoAgent } from "./helpers/echo-agent.js";

let broker: AedesHandle;
let agent: A2AAgent;
let gateway: Gateway;

beforeAll(async () => {
  broker = await startAedes();
  agent = await startEchoAgent(broker.url);
  gateway = await createGateway({ broker: broker.url, port: 0 });
  await waitFor(() => gateway.agents().some((a) => a.id === "acme/echo" && a.status === "online"));
});

afterAll(async () => {
  await gateway?.close();
  await agent?.stop({ gracePeriodMs: 100 });
  await broker?.close();
});

let n = 0;
function request(text: string, extra: Partial<SendMessageRequest> = {}): SendMessageRequest {
  return {
    tenant: "",
    message: {
      messageId: `m-${++n}`,
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
    ...extra,
  };
}

function textOf(task: { artifacts?: { parts: { content?: { $case: string; value: unknown } }[] }[] }): string {
  return (task.artifacts ?? []).flatMap((a) => a.parts).map((p) => (p.content?.$case === "text" ? String(p.content.value) : "")).join("");
}

for (const binding of ["JSONRPC", "HTTP+JSON"] as const) {
  describe(`the SDK client over ${binding}`, () => {
    let client: Client;
    beforeAll(async () => {
      const factory = new ClientFactory(
        ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
          transports: [new JsonRpcTransportFactory(), new RestTransportFactory()],
          preferredTransports: [binding],
        }),
      );
      client = await factory.createFromUrl(`${gateway.url}/acme/echo/.well-known/agent-card.json`, "");
      expect(client.transport.protocolName).toBe(binding);
    });

    test("send, get and list", async () => {
      const result = await client.sendMessage(request("hello"));
      expect("status" in result && result.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      const task = result as Extract<typeof result, { status?: unknown }> & { id: string };
      expect(textOf(task as never)).toBe("Echo: hello");
      const got = await client.getTask({ tenant: "", id: task.id, historyLength: undefined });
      expect(got.id).toBe(task.id);
      expect(got.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
      const listed = await client.listTasks({
        tenant: "",
        contextId: (task as { contextId: string }).contextId,
        status: TaskState.TASK_STATE_UNSPECIFIED,
        pageToken: "",
        statusTimestampAfter: undefined,
      });
      expect(listed.tasks.map((t) => t.id)).toContain(task.id);
    });

    test("stream", async () => {
      const states: TaskState[] = [];
      let text = "";
      for await (const event of client.sendMessageStream(request("streamed"))) {
        const payload = event.payload;
        if (payload?.$case === "task") states.push(payload.value.status!.state);
        if (payload?.$case === "statusUpdate") states.push(payload.value.status!.state);
        if (payload?.$case === "artifactUpdate") text += textOf({ artifacts: [payload.value.artifact!] });
      }
      expect(states.at(-1)).toBe(TaskState.TASK_STATE_COMPLETED);
      expect(text).toBe("Echo: streamed");
    });

    test("subscribe and cancel", async () => {
      const started = await client.sendMessage(request("wait", { configuration: { returnImmediately: true } as never }));
      const taskId = (started as { id: string }).id;
      const events = client.resubscribeTask({ tenant: "", id: taskId });
      const first = await events.next();
      expect(first.value?.payload?.$case).toBe("task");
      const canceled = await client.cancelTask({ tenant: "", id: taskId, metadata: undefined });
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      const rest: unknown[] = [];
      for await (const e of events) rest.push(e);
      const last = rest.at(-1) as { payload?: { $case: string; value: { status?: { state: TaskState } } } };
      expect(last.payload?.value.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    });

    test("push notification configs", async () => {
      const working = await client.sendMessage(request("wait", { configuration: { returnImmediately: true } as never }));
      const taskId = (working as { id: string }).id;
      const created = await client.createTaskPushNotificationConfig({
        tenant: "",
        id: "",
        taskId,
        url: "http://127.0.0.1:9/hook",
        token: "t",
        authentication: undefined,
      });
      expect(created.taskId).toBe(taskId);
      expect(created.id).not.toBe("");
      const got = await client.getTaskPushNotificationConfig({ tenant: "", taskId, id: created.id });
      expect(got.url).toBe("http://127.0.0.1:9/hook");
      const list = await client.listTaskPushNotificationConfig({ tenant: "", taskId, pageSize: 0, pageToken: "" });
      expect(list.configs.map((c) => c.id)).toEqual([created.id]);
      await client.deleteTaskPushNotificationConfig({ tenant: "", taskId, id: created.id });
      const after = await client.listTaskPushNotificationConfig({ tenant: "", taskId, pageSize: 0, pageToken: "" });
      expect(after.configs).toEqual([]);
      await client.cancelTask({ tenant: "", id: taskId, metadata: undefined });
    });

    test("an unknown task is the SDK's TaskNotFoundError", async () => {
      await expect(client.getTask({ tenant: "", id: "no-such-task", historyLength: undefined })).rejects.toMatchObject({ name: "TaskNotFoundError" });
    });
  });
}
