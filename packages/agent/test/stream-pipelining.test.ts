import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport, type PublishOptions, type PublishResult } from "@a2a/transport";
import { A2AAgent } from "@a2a/agent";
import { TestRequester, textMessage } from "./helpers.js";

/** Delivers replies at once but holds back their acknowledgements until released. */
class HeldAckTransport extends InMemoryTransport {
  readonly held: Array<() => void> = [];

  override async publish(topic: string, payload: Uint8Array | string, options?: PublishOptions): Promise<PublishResult> {
    const result = await super.publish(topic, payload, options);
    if (topic.startsWith("replies/")) await new Promise<void>((resolve) => this.held.push(resolve));
    return result;
  }

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("stream frames", () => {
  it("are published in order without waiting for each acknowledgement", async () => {
    const broker = new InMemoryBroker();
    const agentTransport = new HeldAckTransport({ broker, clientId: "agent-conn", protocolVersion: 5 });
    const agent = new A2AAgent({ orgId: "org", agentId: "agent", name: "A", description: "d", broker: agentTransport });
    agent.skill({
      id: "steps",
      handler: async (_input, ctx) => {
        for (let i = 0; i < 3; i++) await ctx.status("working", `step ${i}`);
        return "done";
      },
    });
    await agent.start();
    const clientTransport = new InMemoryTransport({ broker, clientId: "client", protocolVersion: 5, clean: true });
    await clientTransport.connect();
    const client = await new TestRequester(clientTransport, { agentTopic: agent.tasksTopic, messageProperties: true }).start();
    cleanup = async () => {
      agentTransport.release();
      await agent.stop({ gracePeriodMs: 100 });
      await clientTransport.close();
    };

    // Task, 4 status updates (working, 3 steps, completed) and the artifact: none acknowledged yet.
    const frames = await client.stream("SendStreamingMessage", textMessage("go"));
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(frames.at(-1)!.final).toBe(true);
    expect(agentTransport.held.length).toBe(frames.length);
    agentTransport.release();
    // Later frames of another stream are not held back by the acknowledgements above.
    const again = await client.stream("SendStreamingMessage", textMessage("again"));
    expect(again.at(-1)!.final).toBe(true);
  });
});
