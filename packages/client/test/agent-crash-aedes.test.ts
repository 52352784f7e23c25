import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAedes, waitFor, type AedesHandle } from "@a2a/testing";
import type { A2AAgent } from "@a2a/agent";
import { A2AClient, A2AClientError, userMessage, type AgentEvent } from "../src/index.js";
import { createTestAgent, Gates, uniqueIds } from "./semantics/test-agent.js";

type AedesClients = { clients: Record<string, { conn: { destroy(): void } } | undefined> };

// A real crash: the broker loses the agent's socket and publishes its will (the card,
// offline). Calls in flight must fail with AGENT_OFFLINE instead of waiting for a timeout.
describe("an agent whose connection dies (aedes, real sockets)", () => {
  let aedes: AedesHandle;
  let agent: A2AAgent;
  let client: A2AClient;
  const gates = new Gates();
  const ids = uniqueIds();

  beforeAll(async () => {
    aedes = await startAedes();
    agent = createTestAgent({ broker: aedes.url, gates, ...ids });
    await agent.start();
    client = new A2AClient({ broker: aedes.url, timeoutMs: 20_000 });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await agent?.stop({ gracePeriodMs: 0 });
    await aedes?.close();
  });

  it("fails the call in flight with AGENT_OFFLINE, and the watch sees offline then online again", async () => {
    const id = `${ids.orgId}/${ids.agentId}`;
    const events: AgentEvent[] = [];
    const controller = new AbortController();
    const watching = (async () => {
      for await (const e of client.watchAgents({ signal: controller.signal })) if (e.agent.id === id) events.push(e);
    })();
    const key = randomUUID();
    const started = Date.now();
    const call = client.agent(id).sendMessage({ message: userMessage({ data: { key }, skill: "gated" }) });
    await gates.started(key);

    const connection = (aedes.broker as unknown as AedesClients).clients[`a2a-agent.${id.replace("/", ".")}`];
    expect(connection).toBeDefined();
    connection!.conn.destroy();

    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(A2AClientError);
    expect((error as A2AClientError).code).toBe("AGENT_OFFLINE");
    expect(Date.now() - started).toBeLessThan(10_000);

    // The agent reconnects by itself and publishes its card online again.
    await waitFor(() => events.some((e) => e.type === "offline") && events.at(-1)?.type === "online", {
      message: "the agent to go offline and come back",
      timeoutMs: 10_000,
    });
    controller.abort();
    await watching;
    gates.open(key);
  });
});
