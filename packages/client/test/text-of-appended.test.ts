import { afterEach, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { A2AClient, textOf } from "../src/index.js";

describe("textOf on a streamed artifact", () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    await Promise.allSettled(closing.splice(0).map((close) => close()));
  });

  it("concatenates the appended chunks of one artifact and puts artifacts on lines of their own", async () => {
    const broker = new InMemoryBroker();
    const agent = new A2AAgent({ orgId: "test-org", agentId: "writer", name: "Writer", description: "Writes in chunks", broker: new InMemoryTransport({ broker }) });
    agent.skill({
      id: "write",
      handler: async (_input, ctx) => {
        await ctx.artifact({ text: "partial ", name: "report" });
        await ctx.artifact({ text: "result", append: true, lastChunk: true });
        await ctx.artifact({ text: "a second artifact" });
        return undefined;
      },
    });
    await agent.start();
    closing.push(() => agent.stop());
    const client = new A2AClient({ broker: new InMemoryTransport({ broker }), discovery: false });
    closing.push(() => client.close());
    const result = await client.agent("test-org/writer").sendMessage({ message: { messageId: "m1", role: "ROLE_USER", parts: [{ text: "go" }] } });
    expect(textOf(result)).toBe("partial result\na second artifact");
  });
});
