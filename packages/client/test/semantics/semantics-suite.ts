import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import type { Transport } from "@a2a/transport";
import { presenceUserProperties, withPresence } from "@a2a/transport/binding";
import { waitFor } from "@a2a/testing";
import {
  A2AClient,
  A2AClientError,
  A2AProtocolError,
  stateOf,
  taskOf,
  textOf,
  userMessage,
  type A2AClientOptions,
  type AgentHandle,
  type StreamResponse,
} from "../../src/index.js";
import { createTestAgent, Gates, uniqueIds } from "./test-agent.js";

/** One place the suite runs: a broker, and how agents and clients reach it. */
export interface SemanticsEnv {
  /** What an A2AAgent's `broker` option gets: a URL, or a new (unconnected) transport. */
  agentBroker(): string | Transport;
  /** What an A2AClient's `broker` option gets. */
  clientBroker(): string | Transport;
  /** A connected transport for publishing raw messages (e.g. an offline card). */
  rawTransport(): Promise<Transport>;
  /** True when the broker answers PUBACK reason codes (MQTT 5). */
  mqtt5: boolean;
  close(): Promise<void>;
}

const TERMINAL = ["TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_REJECTED"];

const clientError = (code: string) => (e: unknown) => e instanceof A2AClientError && e.code === code;
const a2aError = (code: number) => (e: unknown) => e instanceof A2AProtocolError && e.code === code;

async function collect(stream: AsyncIterable<StreamResponse>): Promise<StreamResponse[]> {
  const out: StreamResponse[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

/**
 * The A2A task semantics (SendMessage, SendStreamingMessage, GetTask, CancelTask,
 * SubscribeToTask) checked end to end: @a2a/client against @a2a/agent through `makeEnv`.
 */
export function semanticsSuite(name: string, makeEnv: () => Promise<SemanticsEnv>): void {
  describe(`A2A semantics: ${name}`, () => {
    let env: SemanticsEnv;
    let agent: A2AAgent;
    let client: A2AClient;
    let bot: AgentHandle;
    const gates = new Gates();
    const extraClients: A2AClient[] = [];

    const newClient = (options: Partial<A2AClientOptions> = {}) => {
      const c = new A2AClient({ broker: env.clientBroker(), ...options });
      extraClients.push(c);
      return c;
    };
    const gated = (key: string) => userMessage({ data: { key }, skill: "gated" });
    const ask = () => userMessage({ text: "start", skill: "ask" });

    beforeAll(async () => {
      env = await makeEnv();
      const ids = uniqueIds();
      agent = createTestAgent({ broker: env.agentBroker(), gates, ...ids });
      await agent.start();
      client = new A2AClient({ broker: env.clientBroker(), timeoutMs: 10_000 });
      await client.connect();
      bot = client.agent(`${ids.orgId}/${ids.agentId}`);
    });

    afterAll(async () => {
      await Promise.allSettled([client?.close(), ...extraClients.map((c) => c.close())]);
      await agent?.stop({ gracePeriodMs: 0 });
      await env?.close();
    });

    describe("SendMessage", () => {
      it("blocks until the task is terminal by default", async () => {
        const key = randomUUID();
        let settled = false;
        const call = bot.sendMessage({ message: gated(key) }).finally(() => (settled = true));
        await gates.started(key);
        // Any reply the agent sent before the handler started arrives before this one.
        expect(await bot.sendText("ping", { skill: "echo" })).toBe("Echo: ping");
        expect(settled).toBe(false);
        gates.open(key);
        const result = await call;
        expect(stateOf(result)).toBe("TASK_STATE_COMPLETED");
        expect(textOf(result)).toContain(`done:${key}`);
      });

      it("with returnImmediately returns the task at once, before it finishes", async () => {
        const key = randomUUID();
        const result = await bot.sendMessage({ message: gated(key), configuration: { returnImmediately: true } });
        const task = taskOf(result)!;
        expect(TERMINAL).not.toContain(task.status.state);
        expect(task.id).toBeTruthy();
        expect(task.contextId).toBeTruthy();
        gates.open(key);
        await waitFor(async () => (await bot.getTask(task.id)).status.state === "TASK_STATE_COMPLETED", {
          message: "the task to complete",
        });
      });

      it("continues an input-required task with taskId and contextId (multi-turn)", async () => {
        const first = taskOf(await bot.sendMessage({ message: ask() }))!;
        expect(first.status.state).toBe("TASK_STATE_INPUT_REQUIRED");
        expect(textOf({ task: first })).toBe("What is your name?");
        const second = taskOf(
          await bot.sendMessage({ message: { parts: [{ text: "Ada" }], taskId: first.id, contextId: first.contextId! } }),
        )!;
        expect(second.id).toBe(first.id);
        expect(second.status.state).toBe("TASK_STATE_COMPLETED");
        expect(textOf({ task: second })).toBe("Hello, Ada");
      });

      it("lets a message with taskId alone inherit the task's contextId", async () => {
        const first = taskOf(await bot.sendMessage({ message: ask() }))!;
        const second = taskOf(await bot.sendMessage({ message: { parts: [{ text: "Bob" }], taskId: first.id } }))!;
        expect(second.id).toBe(first.id);
        expect(second.contextId).toBe(first.contextId);
        expect(textOf({ task: second })).toBe("Hello, Bob");
      });

      it("refuses a taskId with a mismatching contextId, and leaves the task as it was", async () => {
        const first = taskOf(await bot.sendMessage({ message: ask() }))!;
        const error = await bot
          .sendMessage({ message: { parts: [{ text: "Eve" }], taskId: first.id, contextId: "another-context" } })
          .catch((e: unknown) => e);
        expect(error).toSatisfy(a2aError(-32602));
        expect((await bot.getTask(first.id)).status.state).toBe("TASK_STATE_INPUT_REQUIRED");
      });

      it("answers an unknown taskId with TaskNotFound (-32001)", async () => {
        const error = await bot.sendMessage({ message: { parts: [{ text: "hi" }], taskId: "no-such-task" } }).catch((e: unknown) => e);
        expect(error).toSatisfy(a2aError(-32001));
        expect((error as A2AProtocolError).reason).toBe("TASK_NOT_FOUND");
      });

      it("answers a message to a terminal task with UnsupportedOperation (-32004)", async () => {
        const done = taskOf(await bot.sendMessage({ message: userMessage({ text: "x", skill: "echo" }) }))!;
        expect(done.status.state).toBe("TASK_STATE_COMPLETED");
        await expect(bot.sendMessage({ message: { parts: [{ text: "more" }], taskId: done.id } })).rejects.toSatisfy(a2aError(-32004));
      });
    });

    describe("SendStreamingMessage", () => {
      it("starts with the Task and ends at the terminal state", async () => {
        const events = await collect(bot.sendStreamingMessage({ message: userMessage({ text: "hi", skill: "echo" }) }));
        expect(events[0] && "task" in events[0]).toBe(true);
        expect(stateOf(events.at(-1))).toBe("TASK_STATE_COMPLETED");
        expect(events.some((e) => "artifactUpdate" in e && textOf(e) === "Echo: hi")).toBe(true);
      });

      it("streams status and artifact updates in order", async () => {
        const key = randomUUID();
        const stream = bot.sendStreamingMessage({ message: gated(key) });
        const events: StreamResponse[] = [];
        const done = (async () => {
          for await (const event of stream) events.push(event);
        })();
        await gates.started(key);
        gates.open(key);
        await done;
        const artifacts = events.filter((e) => "artifactUpdate" in e).map((e) => textOf(e));
        expect(artifacts).toEqual(["step 1", "step 2", "step 3", `done:${key}`]);
        expect(stateOf(events.at(-1))).toBe("TASK_STATE_COMPLETED");
      });

      it("ends at input-required", async () => {
        const events = await collect(bot.sendStreamingMessage({ message: ask() }));
        expect(events[0] && "task" in events[0]).toBe(true);
        expect(stateOf(events.at(-1))).toBe("TASK_STATE_INPUT_REQUIRED");
      });
    });

    describe("GetTask", () => {
      it("returns no history for historyLength 0 and the last N messages, in order, for N", async () => {
        const first = taskOf(await bot.sendMessage({ message: ask() }))!;
        await bot.sendMessage({ message: { parts: [{ text: "Cy" }], taskId: first.id } });
        const full = (await bot.getTask(first.id)).history ?? [];
        expect(full.length).toBeGreaterThanOrEqual(3);
        expect((await bot.getTask({ id: first.id, historyLength: 0 })).history ?? []).toEqual([]);
        expect((await bot.getTask({ id: first.id, historyLength: 1 })).history).toEqual(full.slice(-1));
        expect((await bot.getTask({ id: first.id, historyLength: 2 })).history).toEqual(full.slice(-2));
      });

      it("answers an unknown task with TaskNotFound (-32001)", async () => {
        await expect(bot.getTask("no-such-task")).rejects.toSatisfy(a2aError(-32001));
      });
    });

    describe("CancelTask", () => {
      it("cancels a working task", async () => {
        const key = randomUUID();
        const task = taskOf(await bot.sendMessage({ message: gated(key), configuration: { returnImmediately: true } }))!;
        await gates.started(key);
        const canceled = await bot.cancelTask(task.id);
        expect(canceled.status.state).toBe("TASK_STATE_CANCELED");
        expect((await bot.getTask(task.id)).status.state).toBe("TASK_STATE_CANCELED");
      });

      it("cancels an input-required task", async () => {
        const task = taskOf(await bot.sendMessage({ message: ask() }))!;
        expect((await bot.cancelTask(task.id)).status.state).toBe("TASK_STATE_CANCELED");
      });

      it("answers canceling a completed task with TaskNotCancelable (-32002)", async () => {
        const done = taskOf(await bot.sendMessage({ message: userMessage({ text: "x", skill: "echo" }) }))!;
        await expect(bot.cancelTask(done.id)).rejects.toSatisfy(a2aError(-32002));
      });

      it("answers an unknown task with TaskNotFound (-32001)", async () => {
        await expect(bot.cancelTask("no-such-task")).rejects.toSatisfy(a2aError(-32001));
      });
    });

    describe("SubscribeToTask", () => {
      it("answers a terminal task with UnsupportedOperation (-32004)", async () => {
        const done = taskOf(await bot.sendMessage({ message: userMessage({ text: "x", skill: "echo" }) }))!;
        await expect(collect(bot.subscribeToTask(done.id))).rejects.toSatisfy(a2aError(-32004));
      });

      it("gives two subscribers the same events in the same order, starting with the current Task", async () => {
        const key = randomUUID();
        const task = taskOf(await bot.sendMessage({ message: gated(key), configuration: { returnImmediately: true } }))!;
        await gates.started(key);
        // Both subscriptions are the owner's: other clients cannot see the task.
        const other = bot;
        const streams = [bot.subscribeToTask(task.id), other.subscribeToTask(task.id)].map((s) => s[Symbol.asyncIterator]());
        // Both are subscribed once their first event (the current Task) arrived.
        const firsts = await Promise.all(streams.map((s) => s.next()));
        for (const first of firsts) expect(taskOf(first.value as StreamResponse)?.id).toBe(task.id);
        gates.open(key);
        const rests = await Promise.all(
          streams.map(async (s) => {
            const events: StreamResponse[] = [];
            for (let r = await s.next(); !r.done; r = await s.next()) events.push(r.value);
            return events;
          }),
        );
        expect(rests[0]!.length).toBeGreaterThanOrEqual(4);
        expect(rests[1]).toEqual(rests[0]);
        expect(stateOf(rests[0]!.at(-1))).toBe("TASK_STATE_COMPLETED");
      });
    });

    describe("failures", () => {
      it("fails at once with AGENT_OFFLINE when the agent's card says it is offline", async () => {
        const raw = await env.rawTransport();
        const ids = uniqueIds();
        const card = withPresence(createTestAgent({ broker: raw, gates, ...ids }).card, "offline");
        const topic = `discovery/${ids.orgId}/${ids.agentId}`;
        await raw.publish(topic, JSON.stringify(card), {
          qos: 1,
          retain: true,
          properties: { userProperties: presenceUserProperties("offline") },
        });
        try {
          const fresh = newClient({ timeoutMs: 20_000 });
          const started = Date.now();
          await expect(fresh.agent(`${ids.orgId}/${ids.agentId}`).sendText("hi")).rejects.toSatisfy(clientError("AGENT_OFFLINE"));
          expect(Date.now() - started).toBeLessThan(3000);
        } finally {
          await raw.publish(topic, "", { qos: 1, retain: true });
        }
      });

      it("fails a call to an agent nobody serves: fast on MQTT 5, by timeout on 3.1.1", async () => {
        const ghost = client.agent(`${uniqueIds().orgId}/ghost`);
        const started = Date.now();
        const error = await ghost.sendText("hi", { timeoutMs: env.mqtt5 ? 20_000 : 300 }).catch((e: unknown) => e);
        expect(error).toSatisfy(clientError(env.mqtt5 ? "AGENT_OFFLINE" : "TIMEOUT"));
        expect(Date.now() - started).toBeLessThan(3000);
      });

      it("fails with TIMEOUT when the answer takes longer than timeoutMs", async () => {
        const key = randomUUID();
        const started = Date.now();
        await expect(bot.sendMessage({ message: gated(key) }, { timeoutMs: 300 })).rejects.toSatisfy(clientError("TIMEOUT"));
        expect(Date.now() - started).toBeGreaterThanOrEqual(290);
        gates.open(key);
      });

      it("fails with ABORTED when the caller aborts a blocking call", async () => {
        const key = randomUUID();
        const controller = new AbortController();
        const call = bot.sendMessage({ message: gated(key) }, { signal: controller.signal });
        await gates.started(key);
        controller.abort();
        await expect(call).rejects.toSatisfy(clientError("ABORTED"));
        gates.open(key);
      });

      it("ends a stream with ABORTED when the caller aborts it", async () => {
        const key = randomUUID();
        const controller = new AbortController();
        const seen: StreamResponse[] = [];
        const run = (async () => {
          for await (const event of bot.sendStreamingMessage({ message: gated(key) }, { signal: controller.signal })) {
            seen.push(event);
            if (seen.length === 1) controller.abort();
          }
        })();
        await expect(run).rejects.toSatisfy(clientError("ABORTED"));
        expect(seen.length).toBeGreaterThanOrEqual(1);
        gates.open(key);
      });
    });
  });
}
