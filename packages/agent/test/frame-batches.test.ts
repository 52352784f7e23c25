import { afterEach, describe, expect, it } from "vitest";
import { InMemoryBroker, InMemoryTransport, type TransportCapabilities } from "@a2a/transport";
import { FRAME_BATCH_EXTENSION_URI, MAX_BATCH_FRAMES } from "@a2a/transport/binding";
import { A2AAgent } from "@a2a/agent";
import { waitFor } from "@a2a/testing";
import { deferred, TestRequester, textMessage } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A connection whose broker announced a packet size limit (MQTT 5 CONNACK). */
class LimitedTransport extends InMemoryTransport {
  constructor(
    options: ConstructorParameters<typeof InMemoryTransport>[0],
    readonly maximumPacketSize: number,
  ) {
    super(options);
  }

  override get capabilities(): TransportCapabilities {
    return { ...super.capabilities, maximumPacketSize: this.maximumPacketSize };
  }
}

/** An agent whose skill `burst` sends `count` status updates at once; `gated` waits for a gate between two. */
async function setUp(options: { count?: number; statusText?: string; maximumPacketSize?: number } = {}) {
  const broker = new InMemoryBroker();
  const agentConnection =
    options.maximumPacketSize === undefined
      ? new InMemoryTransport({ broker, clientId: "agent-conn" })
      : new LimitedTransport({ broker, clientId: "agent-conn" }, options.maximumPacketSize);
  const agent = new A2AAgent({ orgId: "org", agentId: "agent", name: "A", description: "d", broker: agentConnection });
  const gate = deferred();
  agent.skill({
    id: "burst",
    handler: async (_input, ctx) => {
      if ((ctx.message.parts[0] as { text?: string }).text === "gated") {
        await ctx.status("working", "first");
        await gate.promise;
        await ctx.status("working", "second");
        return "done";
      }
      for (let i = 0; i < (options.count ?? 10); i++) await ctx.status("working", options.statusText ?? `step ${i}`);
      return "done";
    },
  });
  await agent.start();
  const transport = new InMemoryTransport({ broker, clientId: "client", clean: true });
  await transport.connect();
  const client = await new TestRequester(transport, { agentTopic: agent.tasksTopic, messageProperties: true }).start();
  cleanups.push(async () => {
    gate.resolve();
    await agent.stop({ gracePeriodMs: 100 });
    await transport.close();
  });
  return { client, gate };
}

const batched = { extensions: [FRAME_BATCH_EXTENSION_URI] };
const textOf = (payload: Uint8Array | string) => (typeof payload === "string" ? payload : new TextDecoder().decode(payload));
const isBatch = (payload: Uint8Array | string) => textOf(payload).startsWith("[");

describe("frame batches", () => {
  it("publish a burst of events as one message to a request that asked for them, in order", async () => {
    const { client } = await setUp();
    const frames = await client.frames(await client.send("SendStreamingMessage", textMessage("go"), batched));
    // Task, working, 10 updates, artifact, completed.
    expect(frames.map((f) => f.seq)).toEqual([...Array(frames.length).keys()]);
    expect(frames.at(-1)!.final).toBe(true);
    expect(frames.length).toBeGreaterThanOrEqual(13);
    expect(client.raw.length).toBeLessThan(frames.length);
    expect(client.raw.some((m) => isBatch(m.payload))).toBe(true);
  });

  it("are not sent to a request that did not ask for them: one message per frame", async () => {
    const { client } = await setUp();
    const frames = await client.stream("SendStreamingMessage", textMessage("go"));
    expect(client.raw.length).toBe(frames.length);
    expect(client.raw.some((m) => isBatch(m.payload))).toBe(false);
  });

  it("hold no event back while the task waits: each goes out when its turn ends", async () => {
    const { client, gate } = await setUp();
    const id = await client.send("SendStreamingMessage", textMessage("gated"), batched);
    // The "first" update arrives while the handler is still waiting for the gate.
    const first = await waitForStatus(client, id, "first");
    expect(client.repliesFor(id).some((f) => f.final)).toBe(false);
    expect(first.final).toBe(false);
    gate.resolve();
    const frames = await client.frames(id);
    expect(frames.map((f) => f.seq)).toEqual([...Array(frames.length).keys()]);
  });

  it("split a burst larger than a batch holds into several, and keep a large frame alone", async () => {
    const { client } = await setUp({ count: MAX_BATCH_FRAMES * 2 });
    const frames = await client.frames(await client.send("SendStreamingMessage", textMessage("go"), batched));
    expect(frames.map((f) => f.seq)).toEqual([...Array(frames.length).keys()]);
    const sizes = client.raw.map((m) => (isBatch(m.payload) ? (JSON.parse(textOf(m.payload)) as unknown[]).length : 1));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_BATCH_FRAMES);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(frames.length);

    const large = await setUp({ count: 3, statusText: "x".repeat(70_000) });
    const bigFrames = await large.client.frames(await large.client.send("SendStreamingMessage", textMessage("go"), batched));
    const updates = large.client.raw.filter((m) => textOf(m.payload).includes("x".repeat(70_000)));
    expect(updates.length).toBe(3);
    expect(updates.some((m) => isBatch(m.payload))).toBe(false);
    expect(bigFrames.at(-1)!.final).toBe(true);
  });
});

describe("frame batches under a broker's packet limit", () => {
  it("stay below the limit the broker announced, and still batch", async () => {
    const limit = 8 * 1024;
    const { client } = await setUp({ count: 40, statusText: "y".repeat(300), maximumPacketSize: limit });
    const frames = await client.frames(await client.send("SendStreamingMessage", textMessage("go"), batched));
    expect(frames.map((f) => f.seq)).toEqual([...Array(frames.length).keys()]);
    expect(Math.max(...client.raw.map((m) => new TextEncoder().encode(textOf(m.payload)).byteLength))).toBeLessThan(limit - 1024);
    expect(client.raw.some((m) => isBatch(m.payload))).toBe(true);
  });
});

function waitForStatus(client: TestRequester, id: string | number | null, text: string) {
  return waitFor(
    () =>
      client.repliesFor(id).find((f) => {
        const update = (f.result as { statusUpdate?: { status?: { message?: { parts?: Array<{ text?: string }> } } } } | undefined)?.statusUpdate;
        return update?.status?.message?.parts?.[0]?.text === text;
      }),
    { message: `status "${text}"`, timeoutMs: 5000 },
  );
}
