import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, isA2AProtocolError, taskOf, userMessage, type AgentHandle } from "@a2a/client";
import { requireMosquitto, startAedes, startMosquitto } from "@a2a/testing";

interface Broker {
  url: string;
  close(): Promise<void>;
}

const brokers: Record<string, () => Promise<Broker>> = {
  aedes: () => startAedes(),
  mosquitto: () => startMosquitto(),
};

async function refusedWith(call: Promise<unknown>): Promise<{ code: number; message: string; data: unknown } | "answered"> {
  try {
    await call;
    return "answered";
  } catch (error) {
    if (!isA2AProtocolError(error)) throw error;
    return { code: error.code, message: error.message, data: error.data };
  }
}

for (const [name, start] of Object.entries(brokers)) {
  describe.runIf(name === "aedes" || requireMosquitto())(`tasks belong to the client that created them (${name})`, () => {
    let broker: Broker;
    let agent: A2AAgent;
    let alice: A2AClient;
    let mallory: A2AClient;
    let aliceAgent: AgentHandle;
    let malloryAgent: AgentHandle;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));

    beforeAll(async () => {
      broker = await start();
      agent = new A2AAgent({
        orgId: "tenants",
        agentId: "secretary",
        name: "Secretary",
        description: "Keeps every client's notes",
        broker: broker.url,
        pushNotifications: true,
      });
      agent.skill({ id: "note", handler: (input: { message?: string }) => `noted: ${input.message ?? ""}` });
      agent.skill({
        id: "wait",
        handler: async (_input, ctx) => {
          await Promise.race([gate, new Promise((resolve) => ctx.signal.addEventListener("abort", resolve))]);
          return "done";
        },
      });
      await agent.start();
      alice = new A2AClient({ broker: broker.url, clientId: "alice-client" });
      mallory = new A2AClient({ broker: broker.url, clientId: "mallory-client" });
      await Promise.all([alice.connect(), mallory.connect()]);
      aliceAgent = alice.agent("tenants/secretary");
      malloryAgent = mallory.agent("tenants/secretary");
    });

    afterAll(async () => {
      release();
      await alice?.close();
      await mallory?.close();
      await agent?.stop({ gracePeriodMs: 0 });
      await broker?.close();
    });

    it("answers another client's task as not found, lists and counts only the caller's, and refuses its context", async () => {
      const secret = taskOf(await aliceAgent.sendMessage({ message: userMessage({ text: "the safe code is 7431", skill: "note" }) }))!;
      const running = taskOf(
        await aliceAgent.sendMessage({ message: userMessage({ text: "hold", skill: "wait" }), configuration: { returnImmediately: true } }),
      )!;
      const own = taskOf(await malloryAgent.sendMessage({ message: userMessage({ text: "mine", skill: "note" }) }))!;

      for (const [what, call] of [
        ["GetTask", () => malloryAgent.getTask(secret.id)],
        ["GetTask of a running task", () => malloryAgent.getTask(running.id)],
        ["CancelTask", () => malloryAgent.cancelTask(running.id)],
        ["CreateTaskPushNotificationConfig", () => malloryAgent.createTaskPushNotificationConfig({ taskId: running.id, url: "https://hooks.example.com/x" })],
        ["ListTaskPushNotificationConfigs", () => malloryAgent.listTaskPushNotificationConfigs(running.id)],
        ["GetTaskPushNotificationConfig", () => malloryAgent.getTaskPushNotificationConfig({ taskId: running.id, id: "any" })],
        ["DeleteTaskPushNotificationConfig", () => malloryAgent.deleteTaskPushNotificationConfig({ taskId: running.id, id: "any" })],
        ["SendMessage continuing the task", () => malloryAgent.sendMessage({ message: userMessage({ text: "me too", taskId: running.id }) })],
      ] as const) {
        // Made one at a time: a refusal that arrives before it is awaited is not left unhandled.
        const refused = await refusedWith(call());
        expect(refused, what).not.toBe("answered");
        if (refused === "answered") continue;
        expect(refused.code, what).toBe(-32001);
        expect(JSON.stringify(refused), what).not.toContain("7431");
      }
      const subscribe = (async () => {
        for await (const _ of malloryAgent.subscribeToTask(running.id)) return "answered";
        return "answered";
      })();
      expect(await refusedWith(subscribe)).toMatchObject({ code: -32001 });

      const mine = await malloryAgent.listTasks();
      expect(mine.tasks.map((t) => t.id)).toEqual([own.id]);
      expect(mine.totalSize).toBe(1);
      const theirs = await aliceAgent.listTasks();
      expect(theirs.tasks.map((t) => t.id).sort()).toEqual([secret.id, running.id].sort());
      expect(theirs.totalSize).toBe(2);
      expect(JSON.stringify(mine)).not.toContain("7431");

      // Joining another client's context (where a skill may keep its memory) is refused.
      const joined = await refusedWith(
        malloryAgent.sendMessage({ message: userMessage({ text: "what did they say?", skill: "note", contextId: secret.contextId! }) }),
      );
      expect(joined).toMatchObject({ code: -32602 });

      // The owner still has every operation, and the stored owner never reaches the wire.
      const got = await aliceAgent.getTask(secret.id);
      expect(JSON.stringify(got)).toContain("7431");
      expect(JSON.stringify(got)).not.toContain("alice-client");
      expect((await aliceAgent.cancelTask(running.id)).status.state).toBe("TASK_STATE_CANCELED");
    });
  });
}

describe("scoping turned off (single-tenant)", () => {
  it("lets every client see every task", async () => {
    const broker = await startAedes();
    const agent = new A2AAgent({ orgId: "solo", agentId: "shared", name: "Shared", description: "One tenant", broker: broker.url, scopeTasks: false });
    agent.registerTool(function echo(params) {
      return `echo ${String(params.message)}`;
    });
    await agent.start();
    const a = new A2AClient({ broker: broker.url, clientId: "one" });
    const b = new A2AClient({ broker: broker.url, clientId: "two" });
    try {
      await Promise.all([a.connect(), b.connect()]);
      const task = taskOf(await a.agent("solo/shared").sendMessage("hi"))!;
      expect((await b.agent("solo/shared").getTask(task.id)).id).toBe(task.id);
      expect((await b.agent("solo/shared").listTasks()).totalSize).toBe(1);
    } finally {
      await a.close();
      await b.close();
      await agent.stop({ gracePeriodMs: 0 });
      await broker.close();
    }
  });
});
