// Native binary artifact mode of the EMQX profile (a2a-artifact-mode), our agent on
// mosquitto (MQTT 5), read by a requester on bare MQTT that reassembles the chunks.
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, ArtifactAssembler, binaryChunkEvent, userMessage } from "@a2a/client";
import type { InboundMessage } from "@a2a/transport";
import { MqttTransport } from "@a2a/transport/mqtt";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";

const REQUEST_TOPIC = "$a2a/v1/request/acme/plant1/blobs";
const TEN_MB = 10 * 1024 * 1024;
const SKILL_CHUNK = 512 * 1024;
const WIRE_CHUNK = 192 * 1024;

/** 10 MB that are not all alike (a repeating pattern could hide misplaced chunks). */
function blob(size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = 0x12345678;
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  return out;
}

describe.runIf(requireMosquitto())("native binary artifact mode (mosquitto, MQTT 5)", () => {
  let broker: MosquittoHandle;
  let agent: A2AAgent;
  let requester: MqttTransport;
  const data = blob(TEN_MB);
  const replyTopic = `$a2a/v1/reply/acme/plant1/req1/${randomUUID().slice(0, 8)}`;
  const received: InboundMessage[] = [];
  const completed = new Set<string>();

  beforeAll(async () => {
    broker = await startMosquitto();
    agent = new A2AAgent({
      orgId: "acme",
      agentId: "blobs",
      name: "Blobs",
      description: "Streams a 10 MB file",
      broker: broker.url,
      emqx: { unit: "plant1", binaryArtifacts: { chunkBytes: WIRE_CHUNK } },
      scopeTasks: false,
      onError: () => undefined,
    });
    agent.skill({
      id: "file",
      handler: async (_input, ctx) => {
        // The skill hands out the file 512 KiB at a time; the agent never needs it whole.
        for (let offset = 0; offset < data.length; offset += SKILL_CHUNK) {
          const piece = data.subarray(offset, offset + SKILL_CHUNK);
          await ctx.artifact({
            artifactId: "file-1",
            parts: [{ raw: piece.toString("base64"), mediaType: "application/octet-stream" }],
            append: offset > 0,
            lastChunk: offset + SKILL_CHUNK >= data.length,
          });
        }
        return undefined;
      },
    });
    await agent.start();
    requester = new MqttTransport({ url: broker.url, clientId: "acme/plant1/req1", protocolVersion: 5 });
    await requester.connect();
    await requester.subscribe(
      replyTopic,
      (message) => {
        received.push(message);
        // Status frames are small; each message is looked at once, here.
        if (message.properties.payloadFormatIndicator !== false && message.payload.byteLength < 4096 && new TextDecoder().decode(message.payload).includes("TASK_STATE_COMPLETED")) {
          completed.add(new TextDecoder().decode(message.properties.correlationData));
        }
      },
      { qos: 1 },
    );
  });

  afterAll(async () => {
    await requester?.close();
    await agent?.stop({ gracePeriodMs: 100 });
    await broker?.close();
  });

  async function stream(correlation: string, userProperties: Record<string, string>): Promise<InboundMessage[]> {
    const taskId = randomUUID();
    const request = {
      jsonrpc: "2.0",
      id: correlation,
      method: "SendStreamingMessage",
      params: { message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text: "send the file" }], taskId, contextId: randomUUID() } },
    };
    const correlationData = new TextEncoder().encode(correlation);
    await requester.publish(REQUEST_TOPIC, JSON.stringify(request), { qos: 1, properties: { responseTopic: replyTopic, correlationData, userProperties } });
    const mine = () => received.filter((m) => new TextDecoder().decode(m.properties.correlationData) === correlation);
    await waitFor(() => completed.has(correlation), { timeoutMs: 20_000, message: "the stream to complete" });
    return mine();
  }

  it("streams a 10 MB artifact as raw chunks with the profile's properties, reassembled byte-exact in bounded memory", async () => {
    const messages = await stream("bin-1", { "a2a-artifact-mode": "binary" });
    const chunks = messages.filter((m) => m.properties.userProperties?.["a2a-event-type"] === "task-artifact-update");
    const jsonItems = messages.filter((m) => !chunks.includes(m));
    // Each 512 KiB piece of the skill goes out as 192 + 192 + 128 KiB.
    expect(chunks.length).toBe((TEN_MB / SKILL_CHUNK) * Math.ceil(SKILL_CHUNK / WIRE_CHUNK));
    const first = chunks[0]!;
    const taskId = first.properties.userProperties!["a2a-task-id"];
    for (const [index, chunk] of chunks.entries()) {
      // Exactly the profile's list: PFI 0, Content Type, correlation echoed, the five properties (and the optional context id).
      expect(chunk.properties.payloadFormatIndicator).toBe(false);
      expect(chunk.properties.contentType).toBe("application/octet-stream");
      expect(new TextDecoder().decode(chunk.properties.correlationData)).toBe("bin-1");
      expect(chunk.properties.userProperties).toEqual({
        "a2a-artifact-mode": "binary",
        "a2a-event-type": "task-artifact-update",
        "a2a-task-id": taskId,
        "a2a-artifact-id": "file-1",
        "a2a-chunk-seqno": String(index),
        "a2a-last-chunk": index === chunks.length - 1 ? "true" : "false",
        "a2a-context-id": first.properties.userProperties!["a2a-context-id"],
      });
      expect(first.properties.userProperties!["a2a-context-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(chunk.payload.byteLength).toBeLessThanOrEqual(WIRE_CHUNK);
    }
    // Every JSON reply of the request says the mode chosen; no JSON artifact update was sent.
    for (const item of jsonItems) {
      expect(item.properties.userProperties?.["a2a-artifact-mode"]).toBe("binary");
      expect(new TextDecoder().decode(item.payload)).not.toContain("artifactUpdate");
    }
    // The terminal status comes after the last chunk: the artifact ends before the stream does.
    expect(messages.indexOf(chunks.at(-1)!)).toBeLessThan(messages.indexOf(jsonItems.at(-1)!));

    // Reassembled by artifact id and strict seqno, streaming into a hash (memory: one chunk).
    const hash = createHash("sha256");
    let largestHeld = 0;
    const assembler = new ArtifactAssembler({ onBytes: (_artifact, bytes) => hash.update(bytes) });
    let done: ReturnType<ArtifactAssembler["add"]>;
    for (const chunk of chunks) {
      done = assembler.add(binaryChunkEvent(chunk)!) ?? done;
      largestHeld = Math.max(largestHeld, assembler.heldBytes);
    }
    expect(done).toMatchObject({ taskId, artifactId: "file-1", size: TEN_MB, chunks: chunks.length, mediaType: "application/octet-stream" });
    expect(hash.digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
    expect(largestHeld).toBe(0);

    // And into one buffer, bounded in bytes: the same bytes exactly; a smaller bound refuses.
    const whole = new ArtifactAssembler({ maxArtifactBytes: TEN_MB });
    let bytes: Uint8Array | undefined;
    for (const chunk of chunks) bytes = whole.add(binaryChunkEvent(chunk)!)?.bytes ?? bytes;
    expect(Buffer.compare(Buffer.from(bytes!), data)).toBe(0);
    const small = new ArtifactAssembler({ maxArtifactBytes: TEN_MB - 1 });
    expect(() => chunks.forEach((chunk) => small.add(binaryChunkEvent(chunk)!))).toThrow(/larger than maxArtifactBytes/);
  });

  it("our client asks for binary mode, reads the chunks as artifact updates and reassembles the 10 MB byte-exact", async () => {
    const client = new A2AClient({ broker: broker.url, clientId: "blob-client", discovery: false, emqx: { unit: "plant1", agent: "blob_client", discovery: false }, maxPayloadBytes: 1024 * 1024 });
    try {
      const hash = createHash("sha256");
      const assembler = new ArtifactAssembler({ onBytes: (_artifact, bytes) => hash.update(bytes) });
      let assembled: ReturnType<ArtifactAssembler["add"]>;
      let updates = 0;
      const states: string[] = [];
      for await (const event of client.agent("acme/plant1/blobs").sendStreamingMessage({ message: userMessage("send the file") }, { artifactMode: "binary" })) {
        if ("artifactUpdate" in event) updates++;
        if ("statusUpdate" in event) states.push(event.statusUpdate.status.state);
        assembled = assembler.add(event) ?? assembled;
      }
      expect(updates).toBe((TEN_MB / SKILL_CHUNK) * Math.ceil(SKILL_CHUNK / WIRE_CHUNK));
      expect(assembled).toMatchObject({ artifactId: "file-1", size: TEN_MB });
      expect(hash.digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
      expect(states.at(-1)).toBe("TASK_STATE_COMPLETED");
    } finally {
      await client.close();
    }
  });

  it("fails the call with INVALID_RESPONSE when a binary chunk's properties are malformed", async () => {
    const rogue = new MqttTransport({ url: broker.url, clientId: "acme/plant1/rogue", protocolVersion: 5 });
    await rogue.connect();
    await rogue.subscribe("$a2a/v1/request/acme/plant1/rogue", (m) => {
      void rogue.publish(m.properties.responseTopic!, new Uint8Array([1, 2, 3]), {
        qos: 1,
        properties: {
          correlationData: m.properties.correlationData!,
          payloadFormatIndicator: false,
          userProperties: { "a2a-event-type": "task-artifact-update", "a2a-task-id": "t", "a2a-artifact-id": "a", "a2a-last-chunk": "true" },
        },
      });
    });
    const client = new A2AClient({ broker: broker.url, clientId: "rogue-client", discovery: false, emqx: { unit: "plant1", discovery: false } });
    try {
      const read = async () => {
        for await (const event of client.agent("acme/plant1/rogue").sendStreamingMessage({ message: userMessage("x") }, { artifactMode: "binary" })) void event;
      };
      const error = await read().then(() => undefined, (e: unknown) => e);
      expect(error).toMatchObject({ code: "INVALID_RESPONSE" });
      expect((error as Error).message).toMatch(/cannot be read: Invalid native binary artifact chunk: binary chunk a2a-chunk-seqno must be a non-negative integer/);
    } finally {
      await client.close();
      await rogue.close();
    }
  });

  it("drops a repeated chunk and refuses a gap", async () => {
    const messages = await stream("bin-2", { "a2a-artifact-mode": "binary" });
    const chunks = messages.filter((m) => m.properties.userProperties?.["a2a-event-type"] === "task-artifact-update");
    const assembler = new ArtifactAssembler({ maxArtifactBytes: TEN_MB });
    assembler.add(binaryChunkEvent(chunks[0]!)!);
    expect(assembler.add(binaryChunkEvent(chunks[0]!)!)).toBeUndefined();
    expect(() => assembler.add(binaryChunkEvent(chunks[2]!)!)).toThrow(/missing chunk 1/);
  });

  it("falls back to JSON when the mode is absent or unknown, and says so when it was named", async () => {
    for (const [correlation, properties] of [["json-1", {}], ["json-2", { "a2a-artifact-mode": "carrier-pigeon" }]] as const) {
      const messages = await stream(correlation, properties);
      expect(messages.every((m) => m.properties.userProperties?.["a2a-event-type"] === undefined)).toBe(true);
      const updates = messages.filter((m) => new TextDecoder().decode(m.payload).includes('"artifactUpdate"'));
      expect(updates.length).toBe(TEN_MB / SKILL_CHUNK);
      const modes = new Set(messages.map((m) => m.properties.userProperties?.["a2a-artifact-mode"]));
      expect([...modes]).toEqual(correlation === "json-1" ? [undefined] : ["json"]);
      // Base64 in JSON reassembles to the same bytes.
      const assembler = new ArtifactAssembler({ maxArtifactBytes: TEN_MB });
      let bytes: Uint8Array | undefined;
      for (const update of updates) {
        const body = JSON.parse(new TextDecoder().decode(update.payload)) as { result: Parameters<ArtifactAssembler["add"]>[0] };
        bytes = assembler.add(body.result)?.bytes ?? bytes;
      }
      expect(Buffer.compare(Buffer.from(bytes!), data)).toBe(0);
    }
  });
});
