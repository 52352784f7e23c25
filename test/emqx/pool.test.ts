// Shared-subscription pools of the EMQX profile: three worker processes of one pool on
// mosquitto (MQTT 5, root a2a/v1), requests spread by the broker, follow-ups pinned to
// the responder named in a2a-responder-agent-id, one worker SIGKILLed mid-load with
// every call accounted for.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent, PoolUnsupportedError } from "@a2a/agent";
import { A2AClient, A2AClientError, textOf, userMessage } from "@a2a/client";
import type { StreamResponse, Task } from "@a2a/schema";
import type { InboundMessage } from "@a2a/transport";
import { MqttTransport } from "@a2a/transport/mqtt";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";

const FIXTURE = fileURLToPath(new URL("./fixtures/pool-worker.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const POOL = "acme/plant1/pool/workers";

function job(text: string, ms: number) {
  return { message: userMessage({ text, data: { ms } }) };
}

/** The worker that did a task, from its answer. */
function doneBy(text: string): string | undefined {
  return /^done by (worker\d)/.exec(text)?.[1];
}

describe.runIf(requireMosquitto())("EMQX-profile pools on mosquitto (three worker processes)", () => {
  let broker: MosquittoHandle;
  const workers = new Map<string, ChildProcess>();
  let client: A2AClient;
  let spy: MqttTransport;
  const requests: InboundMessage[] = [];

  async function startWorker(id: string): Promise<void> {
    const proc = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", FIXTURE, broker.url, id], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    workers.set(id, proc);
    let out = "";
    proc.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes("ready"), { timeoutMs: 25_000, message: `${id} to start` });
  }

  beforeAll(async () => {
    broker = await startMosquitto();
    await Promise.all(["worker1", "worker2", "worker3"].map(startWorker));
    // Sees every request on the unit's topics: the pool topic and the members' direct topics.
    spy = new MqttTransport({ url: broker.url, clientId: "spy", protocolVersion: 5 });
    await spy.connect();
    await spy.subscribe("a2a/v1/request/acme/plant1/#", (m) => requests.push(m));
    client = new A2AClient({
      broker: broker.url,
      clientId: "dispatcher",
      discovery: false,
      timeoutMs: 30_000,
      emqx: { unit: "plant1", root: "a2a/v1", agent: "dispatcher", discovery: false, retry: { firstReplyTimeoutMs: 3000 } },
    });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await spy?.close();
    for (const proc of workers.values()) proc.kill("SIGKILL");
    await broker?.close();
  });

  /** One streamed job: its task id (known from the first item), and how it ended. */
  async function streamJob(text: string, ms: number, onFirst?: () => void): Promise<{ taskId?: string; text?: string; error?: unknown }> {
    let taskId: string | undefined;
    try {
      let last: StreamResponse | undefined;
      for await (const event of client.agent(POOL).sendStreamingMessage(job(text, ms))) {
        if (taskId === undefined && "task" in event) {
          taskId = event.task.id;
          onFirst?.();
        }
        last = event;
      }
      const task = await client.agent(POOL).getTask(taskId!);
      void last;
      return { taskId, text: textOf({ task }) };
    } catch (error) {
      return taskId === undefined ? { error } : { taskId, error };
    }
  }

  it("spreads requests over the members, each reply names its responder, follow-ups go to that responder's own topic", async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => streamJob(`spread-${i}`, 50)));
    expect(results.every((r) => r.error === undefined)).toBe(true);
    const by = new Map<string, number>();
    for (const r of results) by.set(doneBy(r.text!)!, (by.get(doneBy(r.text!)!) ?? 0) + 1);
    expect([...by.keys()].sort()).toEqual(["worker1", "worker2", "worker3"]);
    for (const count of by.values()) expect(count).toBeGreaterThanOrEqual(3);

    // Follow-ups (the GetTask of each) went to the member holding the task, never to the pool topic.
    await waitFor(() => requests.filter((m) => new TextDecoder().decode(m.payload).includes('"GetTask"')).length >= 30, { message: "the spy to see the follow-ups" });
    for (const r of results) {
      const followUps = requests.filter((m) => {
        const body = new TextDecoder().decode(m.payload);
        return body.includes('"GetTask"') && body.includes(r.taskId!);
      });
      expect(followUps.map((m) => m.topic)).toEqual([`a2a/v1/request/acme/plant1/${doneBy(r.text!)}`]);
    }
    const pooled = requests.filter((m) => m.topic === "a2a/v1/request/acme/plant1/pool/workers");
    expect(pooled.length).toBe(30);
    expect(pooled.every((m) => new TextDecoder().decode(m.payload).includes('"SendStreamingMessage"'))).toBe(true);

    // A GetTask sent (by hand) to another member is answered like an unknown task: the pinning is what makes follow-ups work.
    const sample = results[0]!;
    const other = ["worker1", "worker2", "worker3"].find((w) => w !== doneBy(sample.text!))!;
    const replies: InboundMessage[] = [];
    await spy.subscribe("a2a/v1/reply/acme/plant1/spy/x", (m) => replies.push(m));
    await spy.publish(`a2a/v1/request/acme/plant1/${other}`, JSON.stringify({ jsonrpc: "2.0", id: "g1", method: "GetTask", params: { id: sample.taskId } }), {
      qos: 1,
      properties: { responseTopic: "a2a/v1/reply/acme/plant1/spy/x", correlationData: new TextEncoder().encode("g1"), userProperties: { "A2A-Version": "1.0" } },
    });
    const wrong = await waitFor(() => replies[0], { message: "the other member's answer" });
    expect(JSON.parse(new TextDecoder().decode(wrong.payload))).toMatchObject({ error: { code: -32001 } });
  }, 60_000);

  it("loses nothing silently when a member is SIGKILLed mid-load: its calls fail at once naming it, resubmitted they complete on the others", async () => {
    const total = 24;
    let started = 0;
    // The order calls end in: a lost call must be told before the running ones are done.
    const endings: string[] = [];
    const calls = Array.from({ length: total }, (_, i) =>
      streamJob(`load-${i}`, 2500, () => started++).then((r) => {
        endings.push(r.error === undefined ? "completed" : "failed");
        return r;
      }),
    );
    // Every job is running somewhere (its first item arrived, naming its responder) when worker2 dies.
    await waitFor(() => started === total, { timeoutMs: 15_000, message: "every job to start" });
    workers.get("worker2")!.kill("SIGKILL");
    const results = await Promise.all(calls);
    const failed = results.filter((r) => r.error !== undefined);
    const completed = results.filter((r) => r.error === undefined);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.error).toBeInstanceOf(A2AClientError);
      expect(r.error).toMatchObject({ code: "AGENT_OFFLINE" });
      expect((r.error as Error).message).toMatch(/acme\/plant1\/worker2.*went offline.*Retry/);
    }
    expect(completed.every((r) => doneBy(r.text!) !== "worker2")).toBe(true);
    // Told when the will arrived, while the survivors' jobs were still running (not after a timeout).
    expect(endings.indexOf("completed")).toBe(failed.length);

    // Resubmitted (as the error says), the lost jobs complete on the surviving members; so do new ones.
    const retried = await Promise.all([...failed.map((_, i) => streamJob(`retry-${i}`, 50)), ...Array.from({ length: 6 }, (_, i) => streamJob(`after-${i}`, 50))]);
    expect(retried.every((r) => r.error === undefined)).toBe(true);
    expect(new Set(retried.map((r) => doneBy(r.text!)))).toEqual(new Set(["worker1", "worker3"]));
  }, 90_000);

  it("loses nothing silently when a member is SIGKILLed while a burst is still arriving: every call completes or fails naming it", async () => {
    await startWorker("worker4");
    const total = 30;
    let answered = 0;
    const calls = Array.from({ length: total }, (_, i) => streamJob(`burst-${i}`, 1500, () => answered++));
    // Killed while requests are still being handed out: some it has taken, some it never answered.
    await waitFor(() => answered >= 3, { timeoutMs: 15_000, message: "the first jobs to start" });
    workers.get("worker4")!.kill("SIGKILL");
    const results = await Promise.all(calls);
    for (const r of results) {
      if (r.error === undefined) expect(doneBy(r.text!)).not.toBe("worker4");
      else {
        expect(r.error).toMatchObject({ code: "AGENT_OFFLINE" });
        expect((r.error as Error).message).toMatch(/acme\/plant1\/worker4.*went offline/);
      }
    }
    // None timed out or vanished (every failure above is the named loss); the survivors did the rest.
    expect(results.filter((r) => r.error === undefined).length).toBeGreaterThan(0);
  }, 90_000);

  it("refuses a pool under the $a2a root on mosquitto, saying why and what to do", async () => {
    const agent = new A2AAgent({
      orgId: "acme",
      agentId: "dollar",
      name: "D",
      description: "A pool under $a2a",
      broker: broker.url,
      emqx: { unit: "plant1", pool: { pool: "workers", probeTimeoutMs: 1000 } },
      onError: () => undefined,
    });
    agent.registerTool(function noop() {
      return "";
    });
    const error = await agent.start().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(PoolUnsupportedError);
    expect((error as Error).message).toMatch(/does not deliver \$a2a\/v1\/\.\.\. topics to shared subscriptions.*mosquitto.*Use the root "a2a\/v1"/s);
  });

  it("a requester calling a pool under $a2a on mosquitto is told why nobody hears it", async () => {
    const dollar = new A2AClient({ broker: broker.url, clientId: "dollar-client", discovery: false, emqx: { unit: "plant1", discovery: false, retry: { maxAttempts: 1 } } });
    try {
      const error = await dollar.agent("acme/plant1/pool/workers").sendMessage("anyone?").then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: "AGENT_OFFLINE" });
      expect((error as Error).message).toMatch(/No responder is subscribed.*mosquitto 2\.0.*never delivers.*use the root "a2a\/v1"/);
    } finally {
      await dollar.close();
    }
  });

  it("treats a pooled reply without a2a-responder-agent-id as a protocol error", async () => {
    // A member that forgets the property: a bare responder on the pool's shared subscription.
    const rogue = new MqttTransport({ url: broker.url, clientId: "acme/plant1/rogue", protocolVersion: 5 });
    await rogue.connect();
    await rogue.subscribe("$share/a2a.acme.plant1.rogues/a2a/v1/request/acme/plant1/pool/rogues", (m) => {
      const body = JSON.parse(new TextDecoder().decode(m.payload)) as { id: string; params: { id?: string } };
      const task: Task = { id: "t-1", contextId: "c-1", status: { state: "TASK_STATE_COMPLETED" } };
      void rogue.publish(m.properties.responseTopic!, JSON.stringify({ jsonrpc: "2.0", id: body.id, result: task }), {
        qos: 1,
        properties: { correlationData: m.properties.correlationData! },
      });
    });
    try {
      const error = await client.agent("acme/plant1/pool/rogues").getTask("t-1").then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: "INVALID_RESPONSE" });
      expect((error as Error).message).toMatch(/no valid a2a-responder-agent-id.*protocol error/);
    } finally {
      await rogue.close();
    }
  });
});
