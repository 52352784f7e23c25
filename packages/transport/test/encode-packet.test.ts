import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { seededRandom } from "@a2a/testing";
import { encodePacket, type PacketLike } from "../src/mqtt/encode-packet.js";

// mqtt-packet as mqtt.js loads it: the encoder must write exactly its bytes.
const mqttPacket = createRequire(createRequire(import.meta.url).resolve("mqtt"))("mqtt-packet") as {
  generate(packet: object, options: { protocolVersion: number }): Buffer;
};

const joined = (buffers: Buffer[] | undefined): Buffer | undefined => (buffers === undefined ? undefined : Buffer.concat(buffers));

const TEXTS = ["", "a", "replies/c/i", "é€😀", "x".repeat(300), "application/json", "1.0"];

function randomPublish(rnd: () => number): PacketLike {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const qos = pick([0, 1, 2]);
  const properties: Record<string, unknown> = {};
  if (rnd() < 0.6) properties.contentType = pick(TEXTS);
  if (rnd() < 0.6) properties.responseTopic = pick(TEXTS);
  if (rnd() < 0.6) properties.correlationData = Buffer.from(pick(TEXTS));
  if (rnd() < 0.5) {
    const pairs: Record<string, string> = {};
    const n = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) pairs[`${pick(TEXTS)}${i}`] = pick(TEXTS);
    properties.userProperties = pairs;
  }
  if (rnd() < 0.5) properties.messageExpiryInterval = pick([0, 1, 600, 0xffffffff]);
  if (rnd() < 0.3) properties.payloadFormatIndicator = rnd() < 0.5;
  const payloadKind = rnd();
  const payload =
    payloadKind < 0.4 ? pick(TEXTS) : payloadKind < 0.8 ? Buffer.from(pick(TEXTS)) : rnd() < 0.5 ? "y".repeat(20_000) : Buffer.alloc(17_000, 7);
  return {
    cmd: "publish",
    topic: pick(TEXTS.filter((t) => !t.includes("/") || rnd() < 0.5)),
    payload,
    qos,
    dup: rnd() < 0.2,
    retain: rnd() < 0.2,
    messageId: qos > 0 ? Math.floor(rnd() * 65_536) : 0,
    ...(rnd() < 0.9 ? { properties } : {}),
  };
}

describe("encodePacket", () => {
  it("writes PUBLISH packets byte for byte as mqtt-packet does, MQTT 3.1.1 and 5", () => {
    const rnd = seededRandom(42);
    for (let i = 0; i < 3000; i++) {
      const packet = randomPublish(rnd);
      for (const version of [4, 5]) {
        const encoded = joined(encodePacket(packet, version));
        expect(encoded, JSON.stringify(packet)).toBeDefined();
        expect(encoded!.equals(mqttPacket.generate(packet, { protocolVersion: version })), JSON.stringify(packet)).toBe(true);
      }
    }
  });

  it("writes a large payload as a buffer of its own, after the rest of the packet", () => {
    const payload = Buffer.alloc(20_000, 1);
    const buffers = encodePacket({ cmd: "publish", topic: "t", payload, qos: 1, messageId: 7 }, 5)!;
    expect(buffers).toHaveLength(2);
    expect(buffers[1]).toBe(payload);
  });

  it("writes PUBACKs as mqtt-packet does", () => {
    for (const messageId of [0, 1, 255, 256, 65_535]) {
      for (const version of [4, 5]) {
        const packet = { cmd: "puback", messageId, reasonCode: 0 };
        expect(joined(encodePacket(packet, version))!.equals(mqttPacket.generate(packet, { protocolVersion: version }))).toBe(true);
      }
    }
  });

  it("leaves everything else to mqtt-packet", () => {
    const publish = { cmd: "publish", topic: "t", payload: "p", qos: 1, messageId: 1 };
    const others: Array<[PacketLike, number]> = [
      [{ cmd: "subscribe", messageId: 1 }, 5],
      [{ cmd: "puback", messageId: 1, reasonCode: 0x10 }, 5],
      [{ cmd: "puback", messageId: 1, reasonCode: 0, properties: { reasonString: "x" } }, 5],
      [{ cmd: "puback", messageId: 70_000 }, 4],
      [publish, 3],
      [{ ...publish, qos: 3 }, 5],
      [{ ...publish, messageId: undefined }, 4],
      [{ ...publish, messageId: 65_536 }, 4],
      [{ ...publish, topic: Buffer.from("t") }, 4],
      [{ ...publish, payload: 42 }, 4],
      [{ ...publish, topic: "x".repeat(65_536) }, 4],
      [{ ...publish, properties: { topicAlias: 3 } }, 5],
      [{ ...publish, properties: { subscriptionIdentifier: 3 } }, 5],
      [{ ...publish, properties: { userProperties: {} } }, 5],
      [{ ...publish, properties: { userProperties: { a: ["1", "2"] } } }, 5],
      [{ ...publish, properties: { contentType: null } }, 5],
      [{ ...publish, properties: { correlationData: new Uint8Array([1]) } }, 5],
      [{ ...publish, properties: { messageExpiryInterval: 1.5 } }, 5],
      [{ ...publish, properties: { messageExpiryInterval: 2 ** 32 } }, 5],
      [{ ...publish, properties: { payloadFormatIndicator: 1 } }, 5],
      [{ ...publish, properties: [] }, 5],
    ];
    for (const [packet, version] of others) expect(encodePacket(packet, version), JSON.stringify(packet)).toBeUndefined();
  });
});
