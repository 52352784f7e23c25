import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import type { InboundMessage } from "@a2a/transport";
import { MqttTransport } from "@a2a/transport/mqtt";
import { requireMosquitto, startAedes, startMosquitto, waitFor } from "@a2a/testing";
import { A2AClient, stateOf, type StreamEvent } from "../src/index.js";

const UPDATES = 10;

/** Our client and agent on a real broker, and a raw subscriber counting the messages on the reply topics. */
function frameBatchSuite(name: string, start: () => Promise<{ url: string; close(): Promise<void> }>): void {
  describe(`stream frame batches: ${name}`, () => {
    let broker: { url: string; close(): Promise<void> };
    let agent: A2AAgent;
    let client: A2AClient;
    let watcher: MqttTransport;
    const seen: InboundMessage[] = [];
    const agentId = `a${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      broker = await start();
      agent = new A2AAgent({ orgId: "batches", agentId, name: "Burst", description: "Sends a burst of updates.", broker: broker.url });
      agent.skill({
        id: "burst",
        handler: async (_input, ctx) => {
          for (let i = 0; i < UPDATES; i++) await ctx.status("working", `step ${i}`);
          return "done";
        },
      });
      await agent.start();
      client = new A2AClient({ broker: broker.url, clientId: `batch-client-${agentId}` });
      await client.connect();
      watcher = new MqttTransport({ url: broker.url, clean: true });
      await watcher.connect();
      await watcher.subscribe(`replies/batch-client-${agentId}/#`, (m) => void seen.push(m), { qos: 1 });
    });

    afterAll(async () => {
      await client?.close();
      await watcher?.close();
      await agent?.stop({ gracePeriodMs: 0 });
      await broker?.close();
    });

    async function streamed(frameBatches: boolean): Promise<{ events: StreamEvent[]; messages: number }> {
      const before = seen.length;
      const events: StreamEvent[] = [];
      for await (const event of client.agent(`batches/${agentId}`).sendStreamingMessage("go", { frameBatches })) events.push(event);
      // The watcher's copy of the last message may trail the client's.
      const last = events.length;
      await waitForCount(() => seen.slice(before).reduce((n, m) => n + framesIn(m), 0), last);
      return { events, messages: seen.length - before };
    }

    it("delivers every event of a burst once and in order, in fewer messages than events", async () => {
      const { events, messages } = await streamed(true);
      expect(events[0]?.kind).toBe("task");
      expect(events.filter((e) => e.kind === "statusUpdate" && stateOf(e) === "TASK_STATE_WORKING").length).toBe(UPDATES + 1);
      expect(stateOf(events.at(-1))).toBe("TASK_STATE_COMPLETED");
      expect(messages).toBeLessThan(events.length);
    });

    it("asks for no batches when its reply limit is below a full batch", async () => {
      const small = new A2AClient({ broker: broker.url, clientId: `batch-small-${agentId}`, maxPayloadBytes: 64 * 1024 });
      const replies: InboundMessage[] = [];
      await watcher.subscribe(`replies/batch-small-${agentId}/#`, (m) => void replies.push(m), { qos: 1 });
      try {
        const events: StreamEvent[] = [];
        for await (const event of small.agent(`batches/${agentId}`).sendStreamingMessage("go")) events.push(event);
        expect(stateOf(events.at(-1))).toBe("TASK_STATE_COMPLETED");
        await waitForCount(() => replies.length, events.length);
        expect(replies.some((m) => framesIn(m) > 1 || textOf(m).startsWith("["))).toBe(false);
      } finally {
        await small.close();
      }
    });

    it("sends a message per event when the stream asks for no batches", async () => {
      const { events, messages } = await streamed(false);
      expect(stateOf(events.at(-1))).toBe("TASK_STATE_COMPLETED");
      expect(messages).toBe(events.length);
    });
  });
}

const textOf = (message: InboundMessage): string =>
  typeof message.payload === "string" ? message.payload : new TextDecoder().decode(message.payload);

function framesIn(message: InboundMessage): number {
  const text = textOf(message);
  return text.startsWith("[") ? (JSON.parse(text) as unknown[]).length : 1;
}

async function waitForCount(count: () => number, wanted: number): Promise<void> {
  await waitFor(() => count() >= wanted, { message: `${wanted} frames on the reply topic`, timeoutMs: 5000 });
}

frameBatchSuite("aedes (MQTT 3.1.1, service parameters in the payload)", () => startAedes());
describe.runIf(requireMosquitto())("on mosquitto", () => {
  frameBatchSuite("mosquitto (MQTT 5)", () => startMosquitto());
});
