import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { createBroker, type Broker } from "@a2a/broker";
import { A2AClient, userMessage, type AgentEvent } from "@a2a/client";
import { freePort, requireRedis, startRedis, waitFor, type RedisHandle } from "@a2a/testing";
import { fixtureUsers, PASSWORDS } from "./helpers.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/cluster-node.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/**
 * Nodes declare a silent node dead after three heartbeats and then publish the wills of
 * its clients that have not reconnected elsewhere. The agent must be back on another node
 * before that, or its offline will is published: the interval leaves it that time even on
 * a loaded machine (its reconnect starts after 100 ms).
 */
const HEARTBEAT_MS = 1_000;

interface NodeProcess {
  child: ChildProcess;
  url: Promise<string>;
  aedesId: Promise<string>;
  exited: Promise<void>;
}

function spawnNode(redis: string, usersFile: string): NodeProcess {
  const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", FIXTURE, redis, usersFile, String(HEARTBEAT_MS)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const ready = new Promise<[string, string]>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+) (\S+)\n/.exec(out);
      if (match) resolve([`mqtt://127.0.0.1:${match[1]}`, match[2]!]);
    });
    child.once("exit", (code) => reject(new Error(`cluster node exited with ${code}: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, url: ready.then(([url]) => url), aedesId: ready.then(([, id]) => id), exited };
}

// Node A is a real process killed with SIGKILL; nodes B and C run in the test. All three
// share one Redis and the same users and ACL.
describe.runIf(requireRedis())("the embedded broker as a cluster on Redis", () => {
  let redis: RedisHandle;
  let dir: string;
  let nodeA: NodeProcess;
  let nodeB: Broker;
  let nodeC: Broker;
  const closing: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    dir = await mkdtemp(join(tmpdir(), "a2a-cluster-"));
    const usersFile = join(dir, "users.json");
    await writeFile(usersFile, JSON.stringify({ users: await fixtureUsers() }));
    nodeA = spawnNode(redis.url, usersFile);
    const cluster = { redis: redis.url, heartbeatIntervalMs: HEARTBEAT_MS };
    [nodeB, nodeC] = await Promise.all([
      createBroker({ port: 0, users: usersFile, cluster, logger: () => {} }),
      createBroker({ port: 0, users: usersFile, cluster, logger: () => {} }),
    ]);
    await nodeA.url;
  }, 30_000);

  afterAll(async () => {
    for (const close of closing.reverse()) await close().catch(() => undefined);
    nodeA?.child.kill("SIGKILL");
    await nodeA?.exited;
    await nodeB?.close();
    await nodeC?.close();
    await redis?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("fails an agent over from a killed node with tasks in flight: none lost, none run twice, its card online throughout", async () => {
    const executions = new Map<string, number>();
    const agent = new A2AAgent({
      orgId: "acme",
      agentId: "echo",
      name: "Echo",
      description: "Echoes after a pause",
      broker: await nodeA.url,
      mqtt: {
        username: "acme/echo",
        password: PASSWORDS["acme/echo"],
        failoverUrls: [nodeB.url, nodeC.url],
        reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
      },
      maxConcurrentTasks: 4,
    });
    agent.skill<{ key: string }>({
      id: "work",
      handler: async (input) => {
        executions.set(input.key, (executions.get(input.key) ?? 0) + 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { key: input.key };
      },
    });
    await agent.start();
    closing.push(() => agent.stop());

    const client = new A2AClient({ broker: nodeB.url, clientId: "alice", username: "alice", password: PASSWORDS.alice, timeoutMs: 20_000 });
    await client.connect();
    closing.push(() => client.close());
    const watcher = new A2AClient({ broker: nodeC.url, clientId: "bob", username: "bob", password: PASSWORDS.bob });
    await watcher.connect();
    closing.push(() => watcher.close());
    const events: AgentEvent[] = [];
    const watch = new AbortController();
    void (async () => {
      for await (const event of watcher.watchAgents({ signal: watch.signal })) if (event.agent.id === "acme/echo") events.push(event);
    })();
    closing.push(async () => watch.abort());
    await waitFor(() => events.some((e) => e.type === "online"), { timeoutMs: 20_000, message: "the agent's card, seen from node C" });

    const echo = client.agent("acme/echo");
    const keys = Array.from({ length: 40 }, (_, i) => `request-${i}`);
    const state = async (key: string) => {
      const result = await echo.sendMessage({ message: userMessage({ data: { key }, skill: "work" }) });
      return "task" in result ? result.task.status.state : "message";
    };
    const calls = keys.map(state);
    // Kill node A while tasks are running and more are queued.
    await waitFor(() => executions.size >= 4, { timeoutMs: 20_000, message: "the first tasks to start" });
    // The other nodes must know A (from its heartbeats) for its death to be declared at all.
    const aId = await nodeA.aedesId;
    const knows = (node: Broker) => aId in (node.aedes as unknown as { brokers: Record<string, number> }).brokers;
    await waitFor(() => knows(nodeB) && knows(nodeC), { timeoutMs: 20 * HEARTBEAT_MS, message: "nodes B and C to hear node A's heartbeat" });
    const killedAt = Date.now();
    const inFlight = keys.length - executions.size;
    nodeA.child.kill("SIGKILL");
    await nodeA.exited;

    const answers = await Promise.all(calls);
    const allAnsweredMs = Date.now() - killedAt;
    expect(answers).toEqual(keys.map(() => "TASK_STATE_COMPLETED"));
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(executions.size).toBe(keys.length);

    // Once the other nodes have declared A dead (and would publish its clients' wills),
    // the card is still online.
    const deadId = await nodeA.aedesId;
    const knownNodes = () => (nodeB.aedes as unknown as { brokers: Record<string, number> }).brokers;
    await waitFor(() => !(deadId in knownNodes()), { timeoutMs: 20 * HEARTBEAT_MS, message: "node B to declare node A dead" });
    await waitFor(() => !(deadId in (nodeC.aedes as unknown as { brokers: Record<string, number> }).brokers), {
      timeoutMs: 20 * HEARTBEAT_MS,
      message: "node C to declare node A dead",
    });
    expect(await state("after the failover")).toBe("TASK_STATE_COMPLETED");
    expect(events.filter((e) => e.type === "offline")).toEqual([]);
    expect((await watcher.agent("acme/echo").info())?.status).toBe("online");
    console.log(`cluster failover: node A killed with ${inFlight} of ${keys.length} requests not yet started; all answered ${allAnsweredMs} ms after the kill, each run once`);
  }, 90_000);
});

describe("a cluster node whose Redis is not there", () => {
  it("fails to start, naming the URL and what to do", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(createBroker({ port: 0, cluster: { redis: url }, logger: () => {} })).rejects.toThrow(
      new RegExp(`Cannot reach Redis at ${url.replace(/[/.]/g, "\\$&")}: .*ECONNREFUSED.*Start redis-server`),
    );
    await expect(createBroker({ port: 0, cluster: { redis: "http://x" } })).rejects.toThrow(/cluster.redis must be a redis:\/\/ URL/);
  });
});
