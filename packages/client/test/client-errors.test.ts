import { describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient, A2AClientError, userMessage } from "../src/index.js";

const clientError = (code: string) => (e: unknown) => e instanceof A2AClientError && e.code === code;

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("every local failure is an A2AClientError with a SCREAMING_SNAKE code", () => {
  it("INVALID_AGENT_ID for an id that cannot be `org/agent` or a reserved org", async () => {
    const client = new A2AClient({ broker: new InMemoryTransport({ broker: new InMemoryBroker() }) });
    for (const id of ["no-slash", "a/b/c", "acme/+", "", "replies/x"]) {
      expect(thrownBy(() => client.agent(id)), id).toSatisfy(clientError("INVALID_AGENT_ID"));
    }
    await client.close();
  });

  it("INVALID_ARGUMENT for a message without parts and for a clientId that cannot be a topic level", () => {
    expect(thrownBy(() => userMessage({}))).toSatisfy(clientError("INVALID_ARGUMENT"));
    expect(thrownBy(() => new A2AClient({ broker: "mqtt://localhost:1", clientId: "a/b" }))).toSatisfy(clientError("INVALID_ARGUMENT"));
  });

  it("CLOSED for calls and streams after close()", async () => {
    const client = new A2AClient({ broker: new InMemoryTransport({ broker: new InMemoryBroker() }) });
    const bot = client.agent("acme/bot");
    await client.close();
    await expect(bot.getTask("t1")).rejects.toSatisfy(clientError("CLOSED"));
    const iterate = async () => {
      for await (const _ of bot.subscribeToTask("t1")) void _;
    };
    await expect(iterate()).rejects.toSatisfy(clientError("CLOSED"));
    await expect(client.connect()).rejects.toSatisfy(clientError("CLOSED"));
  });

  it("TOO_MANY_CALLS once 10 000 calls are in flight, and calls go on once some finish", async () => {
    const broker = new InMemoryBroker();
    // An agent that takes every request and never answers.
    const silent = new InMemoryTransport({ broker, clientId: "silent-agent" });
    await silent.connect();
    await silent.subscribe("acme/bot/tasks", () => undefined, { qos: 1 });
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, clientId: "busy-client" }), discovery: false });
    const bot = client.agent("acme/bot");
    const controller = new AbortController();
    const inFlight = Array.from({ length: 10_000 }, (_, i) => bot.getTask(`t${i}`, { signal: controller.signal }).catch((e: unknown) => e));
    await expect(bot.getTask("one-too-many")).rejects.toSatisfy(clientError("TOO_MANY_CALLS"));
    controller.abort();
    const outcomes = await Promise.all(inFlight);
    expect(outcomes.every(clientError("ABORTED"))).toBe(true);
    await expect(bot.getTask("again", { timeoutMs: 50 })).rejects.toSatisfy(clientError("TIMEOUT"));
    await client.close();
    await silent.close();
  });

  it("DISCOVERY_UNAVAILABLE when discovery is turned off", async () => {
    const client = new A2AClient({ broker: new InMemoryTransport({ broker: new InMemoryBroker() }), discovery: false });
    await expect(client.findAgents()).rejects.toSatisfy(clientError("DISCOVERY_UNAVAILABLE"));
    await client.close();
  });
});
