import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent, PoolUnsupportedError } from "@a2a/agent";
import { createUser, type BrokerUser } from "@a2a/broker";
import { A2AClient, A2AClientError, userMessage, type AgentEvent } from "@a2a/client";
import { MqttTransport } from "@a2a/transport/mqtt";
import { decodeInstancePresence } from "@a2a/transport/binding";
import { freePort, requireMosquitto, startAedes, waitFor, type MosquittoProcess } from "@a2a/testing";
import { runExportedMosquitto } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/pool-instance.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

// On mosquitto every client id is its username (use_username_as_clientid), so each
// instance of the pool logs in as its own user of the same agent.
const INSTANCES = { i1: "acme/echo", i2: "echo-i2", i3: "echo-i3" } as const;
const PASSWORD = "pool-secret";

async function poolUsers(): Promise<BrokerUser[]> {
  const fast = { password: PASSWORD, scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };
  return Promise.all([
    createUser({ username: "acme/echo", role: "agent", ...fast }),
    createUser({ username: "echo-i2", role: "agent", org: "acme", agent: "echo", ...fast }),
    createUser({ username: "echo-i3", role: "agent", org: "acme", agent: "echo", ...fast }),
    createUser({ username: "alice", role: "client", ...fast }),
    createUser({ username: "bob", role: "client", ...fast }),
  ]);
}

interface InstanceProcess {
  child: ChildProcess;
  started: string[];
  ready: Promise<void>;
  exited: Promise<void>;
}

function spawnInstance(url: string, instanceId: keyof typeof INSTANCES, { concurrency, taskMs }: { concurrency: number; taskMs: number }): InstanceProcess {
  const args = [url, INSTANCES[instanceId], PASSWORD, instanceId, String(concurrency), String(taskMs)];
  const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", FIXTURE, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const started: string[] = [];
  let stderr = "";
  let out = "";
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const lines = out.split("\n");
    out = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "ready") markReady();
      else if (line.startsWith("started ")) started.push(line.slice("started ".length));
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => markReady());
  void ready.then(() => {
    if (child.exitCode !== null && stderr) console.error(`pool instance ${instanceId}: ${stderr}`);
  });
  return { child, started, ready, exited };
}

const work = (key: string) => ({ message: userMessage({ data: { key }, skill: "work" }) });

describe.runIf(requireMosquitto())("an agent pool on mosquitto shared subscriptions, with the exported ACL", () => {
  let dir: string;
  let mosquitto: MosquittoProcess;
  let url: string;
  let client: A2AClient;
  const processes: InstanceProcess[] = [];
  const agents: A2AAgent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "a2a-pool-"));
    const port = await freePort();
    mosquitto = await runExportedMosquitto(dir, { users: await poolUsers(), port, host: "127.0.0.1" });
    url = `mqtt://127.0.0.1:${port}`;
    client = new A2AClient({ broker: url, clientId: "alice", username: "alice", password: PASSWORD, timeoutMs: 15_000 });
    await client.connect();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop({ gracePeriodMs: 100 })));
    for (const p of processes.splice(0)) {
      p.child.kill("SIGKILL");
      await p.exited;
    }
  });
  afterAll(async () => {
    await client?.close();
    await mosquitto?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function instance(instanceId: keyof typeof INSTANCES, served: Map<string, string>): A2AAgent {
    const agent = new A2AAgent({
      orgId: "acme",
      agentId: "echo",
      name: "Echo pool",
      description: "Waits for a second message",
      broker: url,
      mqtt: { username: INSTANCES[instanceId], password: PASSWORD },
      pool: { instanceId },
    });
    agent.skill<{ key: string }>({
      id: "work",
      handler: async (input, ctx) => {
        served.set(input.key, instanceId);
        // A multi-turn task: the follow-up must reach this instance.
        const reply = await ctx.requestInput("say when");
        return { key: input.key, instance: instanceId, reply: reply.parts.length };
      },
    });
    agents.push(agent);
    return agent;
  }

  it("spreads requests over the instances and sends every follow-up to the instance holding the task", async () => {
    const served = new Map<string, string>();
    await Promise.all([instance("i1", served).start(), instance("i2", served).start()]);
    const echo = client.agent("acme/echo");
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const first = await Promise.all(keys.map((key) => echo.sendMessage(work(key))));
    const taskIds = first.map((result) => ("task" in result ? result.task.id : ""));
    expect(first.map((r) => ("task" in r ? r.task.status.state : "message"))).toEqual(keys.map(() => "TASK_STATE_INPUT_REQUIRED"));
    // Both instances took a share.
    expect(new Set(served.values())).toEqual(new Set(["i1", "i2"]));
    // GetTask and the second turn reach the instance that holds each task (another one would not know it).
    for (const taskId of taskIds) expect((await echo.getTask(taskId)).status.state).toBe("TASK_STATE_INPUT_REQUIRED");
    const second = await Promise.all(
      taskIds.map((taskId) => echo.sendMessage({ message: userMessage({ text: "now", taskId }) })),
    );
    expect(second.map((r) => ("task" in r ? r.task.status.state : "message"))).toEqual(keys.map(() => "TASK_STATE_COMPLETED"));
  });

  it("keeps one pool card online while any instance runs, each instance's presence visible", async () => {
    const served = new Map<string, string>();
    const one = instance("i1", served);
    const two = instance("i2", served);
    await Promise.all([one.start(), two.start()]);
    await waitFor(async () => (await client.agent("acme/echo").info())?.status === "online", { message: "the pool card online" });
    // Watched from here on: the previous test's instances went offline before, and the
    // directory's first listing may come before or after their presence says so.
    const events: AgentEvent[] = [];
    const watch = new AbortController();
    void (async () => {
      for await (const e of client.watchAgents({ signal: watch.signal, includeExisting: false })) if (e.agent.id === "acme/echo") events.push(e);
    })();
    // Each instance's presence, retained, as another client sees it.
    const presence = new Map<string, string>();
    const watcher = new MqttTransport({ url, clientId: "bob", username: "bob", password: PASSWORD, clean: true });
    await watcher.connect();
    await watcher.subscribe("discovery/acme/echo/instances/+", (m) => {
      const p = decodeInstancePresence(m.payload);
      if (p) presence.set(p.instanceId, p.status);
    });
    await waitFor(() => presence.get("i1") === "online" && presence.get("i2") === "online", { message: "both instances online" });
    await one.stop({ gracePeriodMs: 100 });
    agents.splice(agents.indexOf(one), 1);
    // The other instance still serves; the card is still online.
    const result = await client.agent("acme/echo").sendMessage(work("after-stop"));
    expect("task" in result && served.get("after-stop")).toBe("i2");
    expect((await client.agent("acme/echo").info())?.status).toBe("online");
    expect(events.filter((e) => e.type === "offline" || e.type === "removed")).toEqual([]);
    await waitFor(() => presence.get("i1") === "offline", { message: "i1's presence offline" });
    expect(presence.get("i2")).toBe("online");
    watch.abort();
    await watcher.close();
  });

  it("fails a call to a pool without instances at once: its instances' presence says offline (else the broker finds no subscriber)", async () => {
    const served = new Map<string, string>();
    const only = instance("i1", served);
    await only.start();
    await only.stop({ gracePeriodMs: 100 });
    agents.splice(agents.indexOf(only), 1);
    const error = await client.agent("acme/echo").sendMessage(work("nobody"), { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect((error as A2AClientError).code).toBe("AGENT_OFFLINE");
    expect((error as Error).message).toMatch(/Agent acme\/echo is offline since|No agent is listening on acme\/echo\/tasks/);
    expect((await client.agent("acme/echo").info())?.status).toBe("offline");
  });

  it("fails clearly, never loses, never runs twice: a member SIGKILLed under load", async () => {
    const members = [spawnInstance(url, "i1", { concurrency: 2, taskMs: 50 }), spawnInstance(url, "i2", { concurrency: 2, taskMs: 50 }), spawnInstance(url, "i3", { concurrency: 2, taskMs: 50 })];
    processes.push(...members);
    await Promise.all(members.map((m) => m.ready));
    const echo = client.agent("acme/echo");
    const keys = Array.from({ length: 90 }, (_, i) => `load-${i}`);
    const outcomes = keys.map((key) =>
      echo.sendMessage(work(key)).then(
        (result) => ("task" in result ? result.task.status.state : "message"),
        (error: unknown) => error,
      ),
    );
    await waitFor(() => members[1]!.started.length >= 4, { message: "the second member to be busy" });
    const killedAt = Date.now();
    members[1]!.child.kill("SIGKILL");
    const settledAt: number[] = [];
    const settled = await Promise.all(outcomes.map((o) => o.then((v) => (settledAt.push(Date.now() - killedAt), v))));

    const starts = members.flatMap((m) => m.started);
    const runs = new Map<string, number>();
    for (const key of starts) runs.set(key, (runs.get(key) ?? 0) + 1);
    // None ran twice.
    expect([...runs].filter(([, n]) => n > 1)).toEqual([]);
    const answered = keys.filter((_, i) => settled[i] === "TASK_STATE_COMPLETED");
    const failed = settled.filter((s): s is A2AClientError => s instanceof A2AClientError);
    // Every call answered or failed with a clear error naming the lost instance.
    expect(answered.length + failed.length).toBe(keys.length);
    for (const error of failed) {
      expect(error.code).toBe("AGENT_OFFLINE");
      expect(error.message).toMatch(/Instance i2 of agent pool acme\/echo/);
    }
    // Every answered call ran once; the failed ones were the killed member's.
    for (const key of answered) expect(runs.get(key)).toBe(1);
    expect(failed.length).toBeGreaterThan(0);
    // The other two instances still serve: the pool is online.
    expect((await client.agent("acme/echo").info())?.status).toBe("online");
    console.log(
      `pool member SIGKILLed under load: ${answered.length} answered, ${failed.length} failed clearly, 0 lost, 0 run twice (of ${keys.length}); ` +
        `i2 had started ${members[1]!.started.length}; last call settled ${Math.max(...settledAt)} ms after the kill`,
    );
  }, 60_000);
});

describe("an agent pool on MQTT 3.1.1 (aedes, no shared subscriptions)", () => {
  it("refuses to start with an error that says what it needs", async () => {
    const aedes = await startAedes();
    try {
      const agent = new A2AAgent({ orgId: "acme", agentId: "echo", name: "Echo", description: "d", broker: aedes.url, pool: { instanceId: "i1" } });
      agent.skill({ id: "work", handler: () => "x" });
      const error = await agent.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PoolUnsupportedError);
      expect((error as Error).message).toMatch(/needs MQTT 5 shared subscriptions.*run the pool on mosquitto, EMQX or HiveMQ/);
    } finally {
      await aedes.close();
    }
  });
});
