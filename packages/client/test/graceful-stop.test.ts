import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient, stateOf, userMessage, type AgentEvent } from "../src/index.js";
import { createTestAgent, Gates, uniqueIds } from "./semantics/test-agent.js";

it("a call in flight survives the agent's graceful stop (card removed, task finished and answered)", async () => {
  const broker = new InMemoryBroker();
  const agentTransport = new InMemoryTransport({ broker });
  const gates = new Gates();
  const ids = uniqueIds();
  const agent = createTestAgent({ broker: agentTransport, gates, ...ids });
  await agent.start();
  const client = new A2AClient({ broker: new InMemoryTransport({ broker }) });
  try {
    const id = `${ids.orgId}/${ids.agentId}`;
    const key = randomUUID();
    const call = client.agent(id).sendMessage({ message: userMessage({ data: { key }, skill: "gated" }) });
    await gates.started(key);

    const controller = new AbortController();
    const watch = client.watchAgents({ signal: controller.signal })[Symbol.asyncIterator]();
    // The watch is in place once it reported the agent as it is now.
    expect((await watch.next()).value).toMatchObject({ type: "online", agent: { id } });
    const stopping = agent.stop({ gracePeriodMs: 5_000 });
    let event: AgentEvent | undefined;
    do event = (await watch.next()).value as AgentEvent | undefined;
    while (event && event.type !== "removed");
    expect(event?.agent.id).toBe(id);
    controller.abort();
    gates.open(key);
    expect(stateOf(await call)).toBe("TASK_STATE_COMPLETED");
    await stopping;
  } finally {
    await client.close();
    await agentTransport.close();
  }
});
