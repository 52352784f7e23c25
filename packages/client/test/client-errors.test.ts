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

  it("DISCOVERY_UNAVAILABLE when discovery is turned off", async () => {
    const client = new A2AClient({ broker: new InMemoryTransport({ broker: new InMemoryBroker() }), discovery: false });
    await expect(client.findAgents()).rejects.toSatisfy(clientError("DISCOVERY_UNAVAILABLE"));
    await client.close();
  });
});
