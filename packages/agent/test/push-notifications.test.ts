import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MqttTransport } from "@a2a/transport/mqtt";
import type { InboundMessage } from "@a2a/transport";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { A2AAgent, type A2AAgentOptions, type PushNotificationOptions } from "@a2a/agent";
import { deferred, textMessage, TestRequester } from "./helpers.js";
import { startWebhookServer } from "./webhook-server.js";
import type { ListTaskPushNotificationConfigsResult, Task, TaskPushNotificationConfig } from "@a2a/schema";
import type { SentTask, WireEvent } from "./wire-types.js";

type Hooks = Awaited<ReturnType<typeof startWebhookServer>>;

/** `statusUpdate:STATE` or `artifactUpdate:artifactId-ish` for a StreamResponse. */
function kind(body: unknown): string {
  const b = body as WireEvent;
  if (b.statusUpdate) return `status:${b.statusUpdate.status.state}`;
  if (b.artifactUpdate) return `artifact:${b.artifactUpdate.artifact.parts.map((p) => ("text" in p ? p.text : "data")).join("")}`;
  return Object.keys(b).join(",");
}

const STEPS = [
  "status:TASK_STATE_WORKING",
  "status:TASK_STATE_WORKING",
  "artifact:a",
  "artifact:b",
  "artifact:done",
  "status:TASK_STATE_COMPLETED",
];

function suite(name: string, startBroker: () => Promise<{ url: string; close(): Promise<void> }>, protocolVersion: 4 | 5) {
  describe(`push notifications on ${name}`, () => {
    let broker: { url: string; close(): Promise<void> };
    let hooks: Hooks;
    let respond: (path: string, index: number) => number | "hang" = () => 200;
    const cleanups: (() => Promise<void>)[] = [];
    let n = 0;

    beforeAll(async () => {
      broker = await startBroker();
      hooks = await startWebhookServer((hook, index) => respond(hook.path, index));
    });
    afterAll(async () => {
      await hooks.close();
      await broker.close();
    });
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
      respond = () => 200;
    });

    async function setup(push: PushNotificationOptions = {}, extra: Partial<A2AAgentOptions> = {}) {
      const id = `push-${protocolVersion}-${++n}-${Date.now()}`;
      const errors: unknown[] = [];
      const gate = deferred();
      const agent = new A2AAgent({
        orgId: "plant",
        agentId: id,
        name: "Pushy",
        description: "Sends push notifications",
        broker: broker.url,
        mqtt: { protocolVersion },
        pushNotifications: true,
        push: { allowLoopback: true, retryBaseDelayMs: 20, retryMaxDelayMs: 100, ...push },
        onError: (e) => errors.push(e),
        ...extra,
      });
      agent.skill({
        id: "steps",
        handler: async (_input, ctx) => {
          await ctx.status("working", "step 1");
          await ctx.artifact({ text: "a", name: "report", artifactId: "report" });
          await ctx.artifact({ text: "b", artifactId: "report", append: true, lastChunk: true });
          return "done";
        },
      });
      agent.skill({ id: "gate", handler: async () => { await gate.promise; return "opened"; } });
      await agent.start();
      const transport = new MqttTransport({ url: broker.url, clientId: `req-${id}`, clean: true, protocolVersion });
      await transport.connect();
      const client = await new TestRequester(transport, { agentTopic: agent.tasksTopic, messageProperties: protocolVersion === 5 }).start();
      cleanups.push(async () => {
        gate.resolve();
        await agent.stop({ gracePeriodMs: 200 });
        await transport.close();
      });
      return { agent, client, gate, errors, transport };
    }

    const skill = (id: string) => ({ skillId: id });

    it("creates, gets, lists (paged) and deletes configs, with ids assigned and bounds", async () => {
      const { client, gate } = await setup({ maxConfigsPerTask: 3 });
      const started = await client.call("SendMessage", textMessage("go", { metadata: skill("gate") }, { returnImmediately: true }));
      const taskId = (started.result as SentTask).task.id;

      const created = await client.call("CreateTaskPushNotificationConfig", { taskId, url: `${hooks.url}/crud`, token: "t1" });
      expect(created.result).toMatchObject({ taskId, url: `${hooks.url}/crud`, token: "t1" });
      const assigned = (created.result as TaskPushNotificationConfig).id as string;
      expect(assigned).toMatch(/^[0-9a-f-]{36}$/);
      const mine = await client.call("CreateTaskPushNotificationConfig", { taskId, id: "mine", url: `${hooks.url}/crud2` });
      expect((mine.result as TaskPushNotificationConfig).id).toBe("mine");

      expect((await client.call("GetTaskPushNotificationConfig", { taskId, id: "mine" })).result).toMatchObject({ id: "mine", taskId });
      const page1 = (await client.call("ListTaskPushNotificationConfigs", { taskId, pageSize: 1 })).result as ListTaskPushNotificationConfigsResult;
      expect(page1.configs.map((c) => c.id)).toEqual([assigned]);
      const page2 = (await client.call("ListTaskPushNotificationConfigs", { taskId, pageSize: 1, pageToken: page1.nextPageToken })).result as ListTaskPushNotificationConfigsResult;
      expect(page2.configs.map((c) => c.id)).toEqual(["mine"]);
      expect(page2.nextPageToken).toBe("");
      expect((await client.call("ListTaskPushNotificationConfigs", { taskId, pageToken: "bogus" })).error?.code).toBe(-32602);

      // Replacing an id does not count against the bound; a fourth config does.
      expect((await client.call("CreateTaskPushNotificationConfig", { taskId, id: "mine", url: `${hooks.url}/crud3` })).result).toMatchObject({ url: `${hooks.url}/crud3` });
      expect((await client.call("CreateTaskPushNotificationConfig", { taskId, url: `${hooks.url}/x` })).result).toBeDefined();
      const full = await client.call("CreateTaskPushNotificationConfig", { taskId, url: `${hooks.url}/y` });
      expect(full.error?.code).toBe(-32602);
      expect(full.error?.message).toContain("already has 3");

      expect((await client.call("DeleteTaskPushNotificationConfig", { taskId, id: "mine" })).result).toEqual({});
      expect((await client.call("DeleteTaskPushNotificationConfig", { taskId, id: "mine" })).result).toEqual({});
      expect((await client.call("GetTaskPushNotificationConfig", { taskId, id: "mine" })).error?.code).toBe(-32001);
      expect((await client.call("CreateTaskPushNotificationConfig", { taskId: "no-such-task", url: `${hooks.url}/z` })).error?.code).toBe(-32001);
      expect((await client.call("ListTaskPushNotificationConfigs", { taskId: "no-such-task" })).error?.code).toBe(-32001);

      gate.resolve();
      await waitFor(async () => ((await client.call("GetTask", { id: taskId })).result as Task).status.state === "TASK_STATE_COMPLETED" || undefined);
      expect((await client.call("CreateTaskPushNotificationConfig", { taskId, url: `${hooks.url}/late` })).error?.code).toBe(-32004);
      // Configs end with their task.
      expect(((await client.call("ListTaskPushNotificationConfigs", { taskId })).result as ListTaskPushNotificationConfigsResult).configs).toEqual([]);
    });

    it("refuses webhook URLs that are not http(s), carry credentials or point at private networks", async () => {
      const { client } = await setup();
      const started = await client.call("SendMessage", textMessage("go", { metadata: skill("gate") }, { returnImmediately: true }));
      const taskId = (started.result as SentTask).task.id;
      for (const url of ["ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x", "http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[fd00::1]/x", "mqtt://broker/x", "mqtt:///a/+/b", "mqtt:///discovery/plant/x"]) {
        const reply = await client.call("CreateTaskPushNotificationConfig", { taskId, url });
        expect(reply.error?.code, url).toBe(-32602);
        expect(reply.error?.data).toEqual([expect.objectContaining({ fieldViolations: [expect.objectContaining({ field: "params.url" })] })]);
      }
      const viaSend = await client.call("SendMessage", textMessage("x", { metadata: skill("steps") }, { taskPushNotificationConfig: { url: "http://192.168.1.10/h" } }));
      expect(viaSend.error?.code).toBe(-32602);
      expect(viaSend.error?.message).toContain("allowPrivateNetworks");
    });

    it("POSTs every task event in order as application/a2a+json with Authorization and the notification token", async () => {
      const { client } = await setup();
      const config = { url: `${hooks.url}/ordered`, token: "tok-1", authentication: { scheme: "Bearer", credentials: "s3cret" } };
      const reply = await client.call("SendMessage", textMessage("go", { metadata: skill("steps") }, { taskPushNotificationConfig: config }));
      const task = (reply.result as SentTask).task;
      expect(task.status.state).toBe("TASK_STATE_COMPLETED");
      await waitFor(() => hooks.at("/ordered").length >= STEPS.length || undefined, { message: "all notifications" });
      const got = hooks.at("/ordered");
      expect(got.map((h) => kind(h.body))).toEqual(STEPS);
      for (const hook of got) {
        expect(hook.method).toBe("POST");
        expect(hook.headers["content-type"]).toBe("application/a2a+json");
        expect(hook.headers["authorization"]).toBe("Bearer s3cret");
        expect(hook.headers["x-a2a-notification-token"]).toBe("tok-1");
        const body = hook.body as WireEvent;
        expect((body.statusUpdate ?? body.artifactUpdate)?.taskId).toBe(task.id);
        expect((body.statusUpdate ?? body.artifactUpdate)?.contextId).toBe(task.contextId);
      }
    });

    it("retries a notification answered with 500, then delivers the rest in order", async () => {
      respond = (path, index) => (path === "/flaky" && index === 0 ? 500 : 200);
      const { client } = await setup();
      await client.call("SendMessage", textMessage("go", { metadata: skill("steps") }, { taskPushNotificationConfig: { url: `${hooks.url}/flaky` } }));
      await waitFor(() => hooks.at("/flaky").length >= STEPS.length + 1 || undefined, { message: "notifications with one retry" });
      const got = hooks.at("/flaky");
      expect(got[0]!.status).toBe(500);
      expect(got[1]!.body).toEqual(got[0]!.body);
      expect(got.slice(1).map((h) => kind(h.body))).toEqual(STEPS);
      expect(got.slice(1).every((h) => h.status === 200)).toBe(true);
    });

    it("keeps serving other tasks and their webhooks while one webhook hangs", async () => {
      respond = (path) => (path === "/hang" ? "hang" : 200);
      const { client } = await setup({ requestTimeoutMs: 60_000 });
      const first = await client.call("SendMessage", textMessage("1", { metadata: skill("steps") }, { taskPushNotificationConfig: { url: `${hooks.url}/hang` } }));
      expect((first.result as SentTask).task.status.state).toBe("TASK_STATE_COMPLETED");
      const second = await client.call("SendMessage", textMessage("2", { metadata: skill("steps") }, { taskPushNotificationConfig: { url: `${hooks.url}/ok` } }));
      expect((second.result as SentTask).task.status.state).toBe("TASK_STATE_COMPLETED");
      await waitFor(() => hooks.at("/ok").length >= STEPS.length || undefined, { message: "the healthy webhook's notifications" });
      expect(hooks.at("/ok").map((h) => kind(h.body))).toEqual(STEPS);
      // One config's queue is ordered: nothing after the hanging first request.
      await waitFor(() => hooks.at("/hang").length === 1 || undefined, { message: "the hanging request" });
      expect(hooks.at("/hang")).toHaveLength(1);
    });

    it("publishes notifications of an mqtt:/// config on the agent's broker, in order", async () => {
      const { client, transport } = await setup();
      // The requester's own inbox namespace: the only topics a push config may name by default.
      const topic = `${client.replyTopic.slice(0, client.replyTopic.lastIndexOf("/"))}/notifications-${n}`;
      const got: InboundMessage[] = [];
      await transport.subscribe(topic, (m) => got.push(m), { qos: 1 });
      const config = { url: `mqtt:///${topic}`, token: "tok-m" };
      await client.call("SendMessage", textMessage("go", { metadata: skill("steps") }, { taskPushNotificationConfig: config }));
      await waitFor(() => got.length >= STEPS.length || undefined, { message: "notifications on the topic" });
      expect(got.map((m) => kind(JSON.parse(Buffer.from(m.payload).toString("utf8"))))).toEqual(STEPS);
      if (protocolVersion === 5) {
        expect(got[0]!.properties.contentType).toBe("application/a2a+json");
        expect(got[0]!.properties.userProperties?.["X-A2A-Notification-Token"]).toBe("tok-m");
      }
    });
  });
}

suite("aedes", () => startAedes(), 4);
describe.runIf(requireMosquitto())("mosquitto", () => {
  suite("mosquitto", () => startMosquitto(), 5);
});
