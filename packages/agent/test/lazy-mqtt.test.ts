import { describe, expect, it, vi } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AAgent } from "@a2a/agent";
import { TestRequester, textMessage } from "./helpers.js";

// Counts every load of the MQTT transport (and of mqtt.js itself) in this test file's module graph.
const loads = vi.hoisted(() => ({ transport: 0, mqtt: 0 }));
vi.mock("@a2a/transport/mqtt", async (importOriginal) => {
  loads.transport++;
  return importOriginal();
});
vi.mock("mqtt", async (importOriginal) => {
  loads.mqtt++;
  return importOriginal();
});

function echoAgent(broker: A2AAgent["transport"] | string): A2AAgent {
  const agent = new A2AAgent({ orgId: "org", agentId: "agent", name: "Echo", description: "Echoes", broker: broker!, onError: () => {} });
  agent.registerTool(function echo(params) {
    return `Echo: ${String(params.message)}`;
  });
  return agent;
}

describe("loading mqtt.js", () => {
  it("never happens for an agent on another transport; an agent given a broker URL loads it when it starts", async () => {
    const broker = new InMemoryBroker();
    const agentTransport = new InMemoryTransport({ broker, clientId: "agent-conn" });
    const agent = echoAgent(agentTransport);
    await agent.start();
    const clientTransport = new InMemoryTransport({ broker, clientId: "client-0", clean: true });
    await clientTransport.connect();
    const client = await new TestRequester(clientTransport, { agentTopic: agent.tasksTopic, messageProperties: true }).start();
    const reply = await client.call("SendMessage", textMessage("hi"));
    expect(reply.result).toMatchObject({ task: { status: { state: "TASK_STATE_COMPLETED" } } });
    await agent.stop({ gracePeriodMs: 100 });
    await clientTransport.close();
    expect(loads).toEqual({ transport: 0, mqtt: 0 });

    // The counter counts: an agent that owns its connection loads the library (the
    // connection is refused at once, as the start is aborted).
    const owning = echoAgent("mqtt://127.0.0.1:1");
    await expect(owning.start({ signal: AbortSignal.abort() })).rejects.toThrow();
    expect(loads.transport).toBe(1);
    expect(loads.mqtt).toBe(1);
  });
});
