import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { seededRandom } from "@a2a/testing";
import { decodeHotPackets } from "../src/mqtt/decode-packet.js";

// mqtt-packet as mqtt.js loads it: packets read here must be exactly what its parser makes.
const mqttPacket = createRequire(createRequire(import.meta.url).resolve("mqtt"))("mqtt-packet") as {
  generate(packet: object, options: { protocolVersion: number }): Buffer;
  parser(options: { protocolVersion: number }): Parser;
};
interface Parser {
  parse(chunk: Buffer): number;
  on(event: "packet" | "error", listener: (value: unknown) => void): void;
}

const TEXTS = ["", "a", "replies/c/i", "é€😀", "x".repeat(300), "application/json", "1.0"];

function randomPacket(rnd: () => number, version: 4 | 5): object {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kind = rnd();
  if (kind < 0.3) {
    const puback: Record<string, unknown> = { cmd: "puback", messageId: 1 + Math.floor(rnd() * 65_535) };
    if (version === 5 && rnd() < 0.4) puback.reasonCode = pick([0, 0x10, 0x80, 0x87]);
    if (version === 5 && rnd() < 0.1) puback.properties = { reasonString: "why" };
    return puback;
  }
  if (kind < 0.35) return { cmd: "pingresp" };
  if (kind < 0.4) return { cmd: "suback", messageId: 7, granted: [1] };
  const qos = pick([0, 1, 2]);
  const packet: Record<string, unknown> = {
    cmd: "publish",
    topic: pick(TEXTS),
    payload: rnd() < 0.5 ? Buffer.from(pick(TEXTS)) : Buffer.alloc(Math.floor(rnd() * 3_000), 7),
    qos,
    retain: rnd() < 0.3,
    dup: qos > 0 && rnd() < 0.2,
  };
  if (qos > 0) packet.messageId = 1 + Math.floor(rnd() * 65_535);
  if (version === 5) {
    const properties: Record<string, unknown> = {};
    if (rnd() < 0.6) properties.contentType = pick(TEXTS);
    if (rnd() < 0.6) properties.responseTopic = pick(TEXTS);
    if (rnd() < 0.6) properties.correlationData = Buffer.from(pick(TEXTS));
    if (rnd() < 0.5) {
      const pairs: Record<string, string | string[]> = {};
      const n = 1 + Math.floor(rnd() * 3);
      for (let i = 0; i < n; i++) pairs[`${pick(TEXTS)}${i}`] = rnd() < 0.2 ? [pick(TEXTS), pick(TEXTS), "z"] : pick(TEXTS);
      properties.userProperties = pairs;
    }
    if (rnd() < 0.5) properties.messageExpiryInterval = pick([0, 1, 600, 0xffffffff]);
    if (rnd() < 0.3) properties.payloadFormatIndicator = rnd() < 0.5;
    if (rnd() < 0.5) properties.subscriptionIdentifier = rnd() < 0.2 ? [3, 200_000] : pick([1, 127, 128, 16_384, 268_435_455]);
    if (rnd() < 0.2) properties.topicAlias = pick([1, 65_535]);
    if (rnd() < 0.05) properties.reasonString = "not a publish property";
    if (Object.keys(properties).length > 0) packet.properties = properties;
  }
  return packet;
}

/** What a parser emits for `chunks`, in order: packets and errors (by message). */
function run(version: 4 | 5, chunks: Buffer[], hot: boolean): unknown[] {
  const parser = mqttPacket.parser({ protocolVersion: version });
  if (hot) decodeHotPackets(parser);
  const seen: unknown[] = [];
  // Buffers as hex: comparing them byte by byte as objects is what would make this test slow.
  parser.on("packet", (p) => seen.push(JSON.parse(JSON.stringify(p, (_key, value: unknown) => (isBufferJson(value) ? Buffer.from(value.data).toString("hex") : value)))));
  parser.on("error", (e) => seen.push({ error: (e as Error).message }));
  for (const chunk of chunks) parser.parse(chunk);
  return seen;
}

const isBufferJson = (value: unknown): value is { type: "Buffer"; data: number[] } =>
  typeof value === "object" && value !== null && (value as { type?: unknown }).type === "Buffer";

/** Splits `bytes` at random points (sometimes every byte, sometimes not at all). */
function split(rnd: () => number, bytes: Buffer): Buffer[] {
  const mode = rnd();
  if (mode < 0.3) return [bytes];
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = mode < 0.4 && bytes.length < 2_000 ? 1 : 1 + Math.floor(rnd() * Math.min(bytes.length, 600));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe("reading PUBLISH and PUBACK packets", () => {
  for (const version of [4, 5] as const) {
    it(`emits what mqtt-packet's parser emits for random packet sequences in random chunks (MQTT ${version === 5 ? "5" : "3.1.1"})`, () => {
      const rnd = seededRandom(version * 7919);
      for (let round = 0; round < 3_000; round++) {
        const packets = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => randomPacket(rnd, version));
        const bytes = Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: version })));
        const chunks = split(rnd, bytes);
        const expected = run(version, chunks, false);
        expect(run(version, chunks, true)).toEqual(expected);
      }
    });

    it(`accepts and refuses exactly as mqtt-packet does for mutated and truncated bytes (MQTT ${version === 5 ? "5" : "3.1.1"})`, () => {
      const rnd = seededRandom(version * 104_729);
      for (let round = 0; round < 5_000; round++) {
        const packets = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => randomPacket(rnd, version));
        const bytes = Buffer.from(Buffer.concat(packets.map((p) => mqttPacket.generate(p, { protocolVersion: version }))));
        const mutations = 1 + Math.floor(rnd() * 4);
        for (let i = 0; i < mutations; i++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
        const cut = rnd() < 0.3 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
        const chunks = split(rnd, cut);
        const expected = run(version, chunks, false);
        expect(run(version, chunks, true)).toEqual(expected);
      }
    });
  }

  it("reads a whole PUBLISH from one chunk, its payload a view of the chunk", () => {
    const bytes = mqttPacket.generate(
      { cmd: "publish", topic: "a/b", payload: Buffer.from("hi"), qos: 1, messageId: 9, properties: { correlationData: Buffer.from("c"), subscriptionIdentifier: 4 } },
      { protocolVersion: 5 },
    );
    const parser = mqttPacket.parser({ protocolVersion: 5 });
    decodeHotPackets(parser);
    const seen: Array<{ payload: Buffer; properties: { subscriptionIdentifier: number }; messageId: number }> = [];
    parser.on("packet", (p) => seen.push(p as (typeof seen)[number]));
    parser.parse(bytes);
    const [packet] = seen;
    expect(packet!.payload.toString()).toBe("hi");
    expect(packet!.payload.buffer).toBe(bytes.buffer);
    expect(packet!.messageId).toBe(9);
    expect(packet!.properties.subscriptionIdentifier).toBe(4);
  });

  it("puts together here a PUBLISH that arrives in pieces, its length cut too, without handing mqtt-packet anything", () => {
    const payload = Buffer.alloc(4_000, 0x61);
    const bytes = mqttPacket.generate({ cmd: "publish", topic: "r/1", payload, qos: 1, messageId: 3, properties: { contentType: "application/json" } }, { protocolVersion: 5 });
    const parser = mqttPacket.parser({ protocolVersion: 5 }) as Parser & { _list: { length: number } };
    decodeHotPackets(parser);
    const seen: Array<{ payload: Buffer; messageId: number }> = [];
    parser.on("packet", (p) => seen.push(p as (typeof seen)[number]));
    // Cut after the first byte (inside the remaining length), then inside the payload.
    for (const piece of [bytes.subarray(0, 2), bytes.subarray(2, 1_500), bytes.subarray(1_500, 3_000), Buffer.concat([bytes.subarray(3_000), bytes])]) {
      parser.parse(piece);
      expect(parser._list.length).toBe(0);
    }
    expect(seen).toHaveLength(2);
    expect(seen.map((p) => p.messageId)).toEqual([3, 3]);
    expect(seen.every((p) => p.payload.equals(payload))).toBe(true);
  });

  it("leaves a packet larger than it carries to mqtt-packet", () => {
    const bytes = mqttPacket.generate({ cmd: "publish", topic: "big", payload: Buffer.alloc(1_200_000, 1), qos: 0 }, { protocolVersion: 4 });
    const parser = mqttPacket.parser({ protocolVersion: 4 }) as Parser & { _list: { length: number } };
    decodeHotPackets(parser);
    const seen: unknown[] = [];
    parser.on("packet", (p) => seen.push(p));
    parser.parse(bytes.subarray(0, 65_536));
    expect(parser._list.length).toBeGreaterThan(0);
    parser.parse(bytes.subarray(65_536));
    expect(seen).toHaveLength(1);
  });
});
