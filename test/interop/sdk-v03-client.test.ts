import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonRpcTransport } from "a2a-sdk-03/client";
import type { Message, Task, TaskArtifactUpdateEvent, TaskPushNotificationConfig, TaskStatusUpdateEvent } from "a2a-sdk-03";
import { A2AAgent } from "@a2a/agent";
import { requireMosquitto, startAedes, startMosquitto } from "@a2a/testing";
import { mqttFetch } from "./mqtt-fetch.js";

// The official A2A 0.3 JavaScript client (JSON-RPC over HTTP), its requests carried over
// MQTT unchanged: it names no A2A-Version, so the agent answers in 0.3 form.

type StreamEvent = Task | Message | TaskStatusUpdateEvent | TaskArtifactUpdateEvent;

/** The 0.3 wire shapes, checked member by member (the SDK's types are compile-time only). */
function expectTask03(task: Task): void {
  expect(task.kind).toBe("task");
  expect(typeof task.id).toBe("string");
  expect(typeof task.contextId).toBe("string");
  expect(task.status.state).toMatch(/^(submitted|working|input-required|completed|canceled|failed|rejected|auth-required|unknown)$/);
  for (const m of task.history ?? []) expectMessage03(m);
  for (const a of task.artifacts ?? []) for (const p of a.parts) expect(["text", "file", "data"]).toContain(p.kind);
}

function expectMessage03(message: Message): void {
  expect(message.kind).toBe("message");
  expect(["user", "agent"]).toContain(message.role);
  for (const p of message.parts) expect(["text", "file", "data"]).toContain(p.kind);
}

function userMessage(skill: string, text: string, extra: Partial<Message> = {}): Message {
  return { kind: "message", messageId: `m-${Math.random()}`, role: "user", parts: [{ kind: "text", text }], metadata: { skillId: skill }, ...extra };
}

const setups = [
  { name: "MQTT 3.1.1 on aedes", available: () => true, start: () => startAedes(), protocolVersion: 4 as const },
  { name: "MQTT 5 on mosquitto", available: requireMosquitto, start: () => startMosquitto(), protocolVersion: 5 as const },
];

for (const setup of setups) describe.runIf(setup.available())(`the official @a2a-js/sdk 0.3 client against an MQTT agent (${setup.name})`, () => {
  let broker: { url: string; close(): Promise<unknown> };
  let agent: A2AAgent;
  let client: JsonRpcTransport;
  let link: Awaited<ReturnType<typeof mqttFetch>>;

  beforeAll(async () => {
    broker = await setup.start();
    agent = new A2AAgent({
      orgId: "interop",
      agentId: "v03",
      name: "0.3 interop",
      description: "Serves 0.3 clients",
      broker: broker.url,
      pushNotifications: true,
      push: { allowLoopback: true },
      stopGracePeriodMs: 0,
    });
    agent.skill({ id: "echo", handler: (_i, ctx) => `echo: ${ctx.message.parts.map((p) => ("text" in p ? p.text : "")).join("")}` });
    agent.skill({
      id: "ask",
      handler: async (_i, ctx) => {
        const reply = await ctx.requestInput("Which colour?");
        return `colour: ${reply.parts.map((p) => ("text" in p ? p.text : "")).join("")}`;
      },
    });
    agent.skill({
      id: "steps",
      handler: async (_i, ctx) => {
        for (let i = 0; i < 3; i++) await ctx.artifact({ artifactId: `step-${i}`, data: { step: i } });
        return undefined;
      },
    });
    await agent.start();
    link = await mqttFetch({ url: broker.url, tasksTopic: agent.tasksTopic, protocolVersion: setup.protocolVersion });
    client = new JsonRpcTransport({ endpoint: "http://mqtt.invalid/a2a", fetchImpl: link.fetchImpl });
  });
  afterAll(async () => {
    await link?.close();
    await agent?.stop({ gracePeriodMs: 0 });
    await broker?.close();
  });

  it("message/send answers the bare 0.3 Task (kind, lowercase state, 0.3 parts), and tasks/get finds it", async () => {
    const result = await client.sendMessage({ message: userMessage("echo", "hi") });
    expect(result.kind).toBe("task");
    const task = result as Task;
    expectTask03(task);
    expect(task.status.state).toBe("completed");
    expect(task.artifacts?.[0]?.parts[0]).toEqual({ kind: "text", text: "echo: hi" });
    expect(link.sent.at(-1)?.method).toBe("message/send");
    const got = await client.getTask({ id: task.id, historyLength: 1 });
    expectTask03(got);
    expect(got.history).toHaveLength(1);
  });

  it("multi-turn: input-required in 0.3 spelling, then completed in the same context", async () => {
    const asked = (await client.sendMessage({ message: userMessage("ask", "paint") })) as Task;
    expect(asked.status.state).toBe("input-required");
    expect(asked.status.message?.role).toBe("agent");
    const done = (await client.sendMessage({ message: userMessage("ask", "blue", { taskId: asked.id, contextId: asked.contextId }) })) as Task;
    expect(done.status.state).toBe("completed");
    expect(done.contextId).toBe(asked.contextId);
  });

  it("message/stream yields 0.3 events: the Task, kind-tagged updates, status-update with final", async () => {
    const events: StreamEvent[] = [];
    for await (const event of client.sendMessageStream({ message: userMessage("steps", "go") })) events.push(event);
    expect(events[0]?.kind).toBe("task");
    const artifacts = events.filter((e): e is TaskArtifactUpdateEvent => e.kind === "artifact-update");
    expect(artifacts.map((e) => e.artifact.parts[0])).toEqual([0, 1, 2].map((step) => ({ kind: "data", data: { step } })));
    const last = events.at(-1) as TaskStatusUpdateEvent;
    expect(last.kind).toBe("status-update");
    expect(last.status.state).toBe("completed");
    expect(last.final).toBe(true);
    const working = events.find((e): e is TaskStatusUpdateEvent => e.kind === "status-update" && e.status.state === "working");
    expect(working?.final).toBe(false);
  });

  it("tasks/cancel answers the canceled Task; tasks/resubscribe streams a running task", async () => {
    const asked = (await client.sendMessage({ message: userMessage("ask", "paint"), configuration: { blocking: true } })) as Task;
    const canceled = await client.cancelTask({ id: asked.id });
    expectTask03(canceled);
    expect(canceled.status.state).toBe("canceled");
    const again = (await client.sendMessage({ message: userMessage("ask", "paint") })) as Task;
    const events: StreamEvent[] = [];
    for await (const event of client.resubscribeTask({ id: again.id })) events.push(event);
    expect(events[0]?.kind).toBe("task");
    expect((events[0] as Task).status.state).toBe("input-required");
  });

  it("push notification configs in the 0.3 shapes: set, get, list (a bare array), delete", async () => {
    const task = (await client.sendMessage({ message: userMessage("ask", "paint") })) as Task;
    const config: TaskPushNotificationConfig = {
      taskId: task.id,
      pushNotificationConfig: { id: "hook-1", url: "http://127.0.0.1:9/hook", token: "t", authentication: { schemes: ["Bearer"], credentials: "c" } },
    };
    const set = await client.setTaskPushNotificationConfig(config);
    expect(set).toEqual(config);
    expect(await client.getTaskPushNotificationConfig({ id: task.id, pushNotificationConfigId: "hook-1" })).toEqual(config);
    const list = await client.listTaskPushNotificationConfig({ id: task.id });
    expect(list).toEqual([config]);
    await client.deleteTaskPushNotificationConfig({ id: task.id, pushNotificationConfigId: "hook-1" });
    expect(await client.listTaskPushNotificationConfig({ id: task.id })).toEqual([]);
    // 0.3 semantics: a config set without an id takes the task's, and is found by the task id alone.
    const unnamed = await client.setTaskPushNotificationConfig({ taskId: task.id, pushNotificationConfig: { url: "http://127.0.0.1:9/other" } });
    expect(unnamed.pushNotificationConfig.id).toBe(task.id);
    expect((await client.getTaskPushNotificationConfig({ id: task.id })).pushNotificationConfig.url).toBe("http://127.0.0.1:9/other");
    await client.cancelTask({ id: task.id });
  });

  it("errors keep their A2A codes: an unknown task is -32001", async () => {
    await expect(client.getTask({ id: "no-such-task" })).rejects.toThrow(/-32001|not found/i);
  });
});
