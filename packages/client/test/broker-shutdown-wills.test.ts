import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { A2AAgent } from "@a2a/agent";
import { presenceOf } from "@a2a/transport/binding";
import { InMemoryBroker, InMemoryTransport, type MessageHandler, type Transport } from "@a2a/transport";
import { waitFor } from "@a2a/testing";
import { A2AClient, A2AClientError, stateOf, textOf, userMessage, type AgentEvent, type AgentHandle } from "../src/index.js";
import { createTestAgent, Gates, uniqueIds } from "./semantics/test-agent.js";

// A broker that shuts down (mosquitto on SIGTERM, e.g. for a restart) publishes every
// client's will and only then closes the connections: the client sees the agent's
// offline card while its own connection still looks alive. That card must be judged
// like one seen around a reconnect, while a real agent death still fails calls at once.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function isOfflineCard(payload: Uint8Array): boolean {
  if (payload.byteLength === 0) return false;
  return presenceOf(JSON.parse(new TextDecoder().decode(payload)))?.status === "offline";
}

/**
 * The client's transport, with a hook that runs right after the client has handled a
 * message on `topic` (synchronously, before anything else can happen).
 */
function afterDelivery(transport: InMemoryTransport, topic: string, hook: (payload: Uint8Array) => void): Transport {
  return new Proxy(transport, {
    get(target, property) {
      if (property === "subscribe") {
        return (filter: string, handler: MessageHandler, options?: Parameters<Transport["subscribe"]>[2]) =>
          target.subscribe(
            filter,
            (message) => {
              handler(message);
              if (message.topic === topic) hook(message.payload);
            },
            options,
          );
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function setup(options: { agentReconnects: boolean; onAgentCard: (payload: Uint8Array, broker: InMemoryBroker) => void }) {
  const broker = new InMemoryBroker({ persistence: true });
  const gates = new Gates();
  const ids = uniqueIds();
  const id = `${ids.orgId}/${ids.agentId}`;
  // The agent's own will: its card, offline, retained (what an owned transport sets).
  const will = createTestAgent({ broker: "mqtt://127.0.0.1:1", gates, ...ids }).offlineWill();
  const agentTransport = new InMemoryTransport({ broker, clientId: `a2a-agent.${ids.orgId}.${ids.agentId}`, will, reconnect: options.agentReconnects });
  const agent: A2AAgent = createTestAgent({ broker: agentTransport, gates, ...ids });
  await agent.start();
  // The transport closes first: an agent that lost its connection for good cannot say goodbye.
  cleanups.push(() => agent.stop({ gracePeriodMs: 0 }), () => agentTransport.close());

  const clientTransport = new InMemoryTransport({ broker, clientId: `client-${randomUUID().slice(0, 8)}` });
  await clientTransport.connect();
  cleanups.push(() => clientTransport.close());
  const client = new A2AClient({
    broker: afterDelivery(clientTransport, agent.discoveryTopic, (payload) => options.onAgentCard(payload, broker)),
    timeoutMs: 10_000,
    // Long, so that a test passing quickly shows the grace period did not decide.
    offlineGraceMs: 60_000,
  });
  cleanups.push(() => client.close());
  const events: AgentEvent[] = [];
  const watch = new AbortController();
  cleanups.push(async () => watch.abort());
  void (async () => {
    for await (const e of client.watchAgents({ signal: watch.signal })) if (e.agent.id === id) events.push(e);
  })();
  await waitFor(() => events.some((e) => e.type === "online"), { message: "the agent's card online" });
  return { broker, gates, id, agentTransport, client, events };
}

describe("an offline card from a broker that shuts down (in-memory broker)", () => {
  it("keeps the calls in flight, sends the calls made meanwhile, and both are answered once the agent is back", async () => {
    let shutDown = false;
    let callDuringRestart: ReturnType<AgentHandle["sendMessage"]> | undefined;
    let client!: A2AClient;
    let id!: string;
    const env = await setup({
      agentReconnects: true,
      onAgentCard: (payload, broker) => {
        if (shutDown || !isOfflineCard(payload)) return;
        shutDown = true;
        // The will went out; now the broker closes every connection, before the client
        // could hear from it again.
        broker.stop();
        // A call made while the card says offline and the client is reconnecting.
        callDuringRestart = client.agent(id).sendMessage({ message: userMessage({ text: "still there?", skill: "echo" }) });
        callDuringRestart.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
        broker.start();
      },
    });
    ({ client, id } = env);
    const key = randomUUID();
    const inFlight = client.agent(id).sendMessage({ message: userMessage({ data: { key }, skill: "gated" }) });
    await env.gates.started(key);

    env.agentTransport.simulateConnectionLoss();
    await waitFor(() => shutDown, { message: "the agent's will to reach the client" });
    await waitFor(() => env.events.at(-2)?.type === "offline" && env.events.at(-1)?.type === "online", {
      message: "the agent's card offline, then online again",
    });
    env.gates.open(key);

    const answered = await inFlight;
    expect(stateOf(answered)).toBe("TASK_STATE_COMPLETED");
    expect(textOf(answered)).toContain(`done:${key}`);
    expect(textOf(await callDuringRestart!)).toBe("Echo: still there?");
  });
});

describe("an agent whose connection dies while the broker keeps running (in-memory broker)", () => {
  it("fails the call in flight with AGENT_OFFLINE at once, not after the grace period", async () => {
    const env = await setup({ agentReconnects: false, onAgentCard: () => undefined });
    const key = randomUUID();
    const call = env.client.agent(env.id).sendMessage({ message: userMessage({ data: { key }, skill: "gated" }) });
    await env.gates.started(key);

    env.agentTransport.simulateConnectionLoss();
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect((error as A2AClientError).code).toBe("AGENT_OFFLINE");
    // A new call fails before it is sent: the agent's death is decided.
    const next = await env.client.agent(env.id).sendMessage({ message: userMessage({ text: "hi", skill: "echo" }) }).catch((e: unknown) => e);
    expect((next as A2AClientError).code).toBe("AGENT_OFFLINE");
  }, 5_000);
});
