/**
 * What users feel before the first round trip: an agent from `start()` to its card
 * being online (a connected watcher receives it), and a new client from its creation to
 * its first answered call (connect, the card, the call). The SDK's equivalents: its HTTP
 * server from start to a card a client can fetch, and a new ClientFactory client from
 * creation to its first answer (the card fetched, the call). Servers run in the harness
 * process; each figure is the median of `rounds`.
 */
import type { Broker } from "../lib/brokers.js";
import { connectBare } from "../lib/mqtt-connect.js";
import { TEXT_100B } from "../lib/payloads.js";
import { ServerControl, type ServerModule } from "../lib/server-control.js";
import { elapsedMs, summarize } from "../lib/stats.js";
import { sdkClientContender } from "../contenders/sdk-http.js";

export interface ColdResult {
  workload: "cold";
  contender: string;
  rounds: number;
  /** Median ms from starting the server to its card being online (fetchable, for HTTP). */
  startToOnlineMs: number;
  /** Median ms from creating a client to its first answered SendMessage. */
  firstCallMs: number;
}

const median = (samples: number[]): number => summarize(samples).p50;
const ORG = "bench-cold";

export async function coldA2A(broker: Broker, rounds: number): Promise<ColdResult> {
  const { A2AAgent } = await import("@a2a/agent");
  const { A2AClient, userMessage } = await import("@a2a/client");
  const watcher = await connectBare(broker.url, broker.protocolVersion, `bench-cold-watcher-${process.pid}`);
  const online = new Map<string, () => void>();
  watcher.on("message", (topic, payload) => {
    if (payload.length > 0 && payload.toString("utf8").includes('"status":"online"')) online.get(topic)?.();
  });
  await watcher.subscribeAsync(`discovery/${ORG}/+`, { qos: 1 });
  const makeAgent = (agentId: string) => {
    const agent = new A2AAgent({ orgId: ORG, agentId, name: "Cold echo", description: "Echoes.", broker: broker.url });
    agent.skill({ id: "echo", description: "Echoes the message.", handler: async () => "echo" });
    return agent;
  };
  const starts: number[] = [];
  const agents: Array<{ stop(o: { gracePeriodMs: number }): Promise<void> }> = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const agentId = `cold-${process.pid}-${i}`;
      const seen = new Promise<void>((resolve) => online.set(`discovery/${ORG}/${agentId}`, resolve));
      const agent = makeAgent(agentId);
      const t0 = process.hrtime.bigint();
      await agent.start();
      await seen;
      starts.push(elapsedMs(t0));
      agents.push(agent);
    }
    const target = `${ORG}/cold-${process.pid}-0`;
    const calls: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = process.hrtime.bigint();
      const client = new A2AClient({ broker: broker.url });
      await client.connect();
      await client.agent(target).sendMessage({ message: userMessage({ text: TEXT_100B, skill: "echo" }) });
      calls.push(elapsedMs(t0));
      await client.close();
    }
    return { workload: "cold", contender: `a2a/${broker.kind}`, rounds, startToOnlineMs: median(starts), firstCallMs: median(calls) };
  } finally {
    for (const agent of agents) await agent.stop({ gracePeriodMs: 0 });
    await watcher.endAsync();
  }
}

export async function coldSdk(rounds: number): Promise<ColdResult> {
  const mod = (await import("../servers/sdk-server.js")) as ServerModule;
  const starts: number[] = [];
  const servers: Array<{ info: Record<string, unknown>; stop(): Promise<void> }> = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const t0 = process.hrtime.bigint();
      const server = await mod.start({}, new ServerControl());
      const response = await fetch(`${String(server.info.url)}/.well-known/agent-card.json`);
      if (!response.ok) throw new Error(`the SDK server's card answered ${response.status}`);
      await response.json();
      starts.push(elapsedMs(t0));
      servers.push(server);
    }
    const server = servers[0]!;
    const calls: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = process.hrtime.bigint();
      const handle = { name: "sdk-server", layout: "inline" as const, pid: process.pid, info: server.info, call: async () => undefined as never, stop: async () => {} };
      const client = await sdkClientContender({ id: "sdk/http", label: "SDK", family: "sdk", server: handle, cardUrl: String(server.info.url), path: undefined, close: async () => {} });
      await client.send("text");
      calls.push(elapsedMs(t0));
      await client.close();
    }
    return { workload: "cold", contender: "sdk/http", rounds, startToOnlineMs: median(starts), firstCallMs: median(calls) };
  } finally {
    for (const server of servers) await server.stop();
  }
}
