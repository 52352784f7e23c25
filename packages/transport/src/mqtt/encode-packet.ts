/**
 * PUBLISH and PUBACK packets as one buffer each, byte for byte what mqtt-packet writes.
 *
 * mqtt-packet writes a packet in pieces: for a PUBLISH with our MQTT 5 properties some
 * twenty socket writes of a few bytes, each with its own debug call and small buffers.
 * These two packets carry every request, reply and stream frame; everything else, and
 * any packet using what is not handled here (other properties, values mqtt-packet would
 * refuse), is left to mqtt-packet (undefined).
 */
import { holdAck, sendHeldNow } from "./coalesce-writes.js";
import { writeBuffer } from "./write-slab.js";

/** Property identifiers (MQTT 5 §2.2.2.2) of the properties our messages use. */
const PROPERTY_IDS: Readonly<Record<string, number>> = {
  payloadFormatIndicator: 0x01,
  messageExpiryInterval: 0x02,
  contentType: 0x03,
  responseTopic: 0x08,
  correlationData: 0x09,
  userProperties: 0x26,
};
const USER_PROPERTY = 0x26;
const MAX_VAR_INT = 268_435_455;
const MAX_TWO_BYTE = 0xffff;
/** Payloads above this go to the socket as they are, after the rest of the packet. */
const MAX_COPIED_PAYLOAD = 16 * 1024;

type Utf8Buffer = Buffer & { utf8Write(text: string, offset: number): number };

export interface PacketLike {
  cmd?: string;
  topic?: unknown;
  payload?: unknown;
  qos?: unknown;
  dup?: unknown;
  retain?: unknown;
  messageId?: unknown;
  reasonCode?: unknown;
  properties?: unknown;
}

const varIntSize = (n: number): number => (n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4);

function writeVarInt(buffer: Buffer, at: number, n: number): number {
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 0x80;
    buffer[at++] = digit;
  } while (n > 0);
  return at;
}

/** A two-byte length, then the text (whose length fits, as checked before). */
function writeString(buffer: Utf8Buffer, at: number, text: string): number {
  const bytes = buffer.utf8Write(text, at + 2);
  buffer[at] = bytes >> 8;
  buffer[at + 1] = bytes & 0xff;
  return at + 2 + bytes;
}

/** The bytes of the properties, or undefined when mqtt-packet should handle them. */
function propertiesLength(properties: Record<string, unknown>): number | undefined {
  let length = 0;
  for (const name in properties) {
    if (!Object.hasOwn(properties, name)) continue;
    const value = properties[name];
    if (value === undefined) continue;
    switch (PROPERTY_IDS[name]) {
      case 0x01:
        if (typeof value !== "boolean") return undefined;
        length += 2;
        break;
      case 0x02:
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0xffffffff) return undefined;
        length += 5;
        break;
      case 0x03:
      case 0x08: {
        if (typeof value !== "string") return undefined;
        const bytes = Buffer.byteLength(value, "utf8");
        if (bytes > MAX_TWO_BYTE) return undefined;
        length += 3 + bytes;
        break;
      }
      case 0x09:
        if (!Buffer.isBuffer(value) || value.length > MAX_TWO_BYTE) return undefined;
        length += 3 + value.length;
        break;
      case USER_PROPERTY: {
        if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
        let pairs = 0;
        for (const key of Object.getOwnPropertyNames(value)) {
          const text = (value as Record<string, unknown>)[key];
          if (typeof text !== "string") return undefined;
          const keyBytes = Buffer.byteLength(key, "utf8");
          const textBytes = Buffer.byteLength(text, "utf8");
          if (keyBytes > MAX_TWO_BYTE || textBytes > MAX_TWO_BYTE) return undefined;
          length += 5 + keyBytes + textBytes;
          pairs++;
        }
        // mqtt-packet writes nothing at all for an empty map: left to it, as it is.
        if (pairs === 0) return undefined;
        break;
      }
      case undefined:
        return undefined;
    }
  }
  return length;
}

function writeProperties(buffer: Utf8Buffer, at: number, properties: Record<string, unknown>): number {
  for (const name in properties) {
    if (!Object.hasOwn(properties, name)) continue;
    const value = properties[name];
    if (value === undefined) continue;
    const id = PROPERTY_IDS[name]!;
    if (id === USER_PROPERTY) {
      const pairs = value as Record<string, string>;
      for (const key of Object.getOwnPropertyNames(pairs)) {
        buffer[at++] = USER_PROPERTY;
        at = writeString(buffer, at, key);
        at = writeString(buffer, at, pairs[key]!);
      }
      continue;
    }
    buffer[at++] = id;
    if (id === 0x01) buffer[at++] = value === true ? 1 : 0;
    else if (id === 0x02) at = buffer.writeUInt32BE(value as number, at);
    else if (id === 0x09) {
      const bytes = value as Buffer;
      buffer[at] = bytes.length >> 8;
      buffer[at + 1] = bytes.length & 0xff;
      buffer.set(bytes, at + 2);
      at += 2 + bytes.length;
    } else at = writeString(buffer, at, value as string);
  }
  return at;
}

function encodePublish(packet: PacketLike, version: number): Buffer[] | undefined {
  const { topic, payload, messageId } = packet;
  const qos = packet.qos ?? 0;
  if (typeof topic !== "string" || (qos !== 0 && qos !== 1 && qos !== 2)) return undefined;
  if (qos > 0 && (typeof messageId !== "number" || !Number.isInteger(messageId) || messageId < 0 || messageId > MAX_TWO_BYTE)) return undefined;
  const text = typeof payload === "string" ? payload : undefined;
  const bytes = payload instanceof Uint8Array ? payload : undefined;
  if (text === undefined && bytes === undefined && payload !== undefined) return undefined;
  const topicBytes = Buffer.byteLength(topic, "utf8");
  if (topicBytes > MAX_TWO_BYTE) return undefined;
  const payloadBytes = text !== undefined ? Buffer.byteLength(text, "utf8") : (bytes?.byteLength ?? 0);

  let properties: Record<string, unknown> | undefined;
  let propsLength = 0;
  if (version === 5) {
    const p = packet.properties;
    if (p !== undefined && (typeof p !== "object" || p === null || Array.isArray(p))) return undefined;
    properties = p as Record<string, unknown> | undefined;
    const length = properties === undefined ? 0 : propertiesLength(properties);
    if (length === undefined) return undefined;
    propsLength = length;
  }
  const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + (version === 5 ? varIntSize(propsLength) + propsLength : 0) + payloadBytes;
  if (remaining > MAX_VAR_INT) return undefined;

  const separate = payloadBytes > MAX_COPIED_PAYLOAD;
  const headLength = 1 + varIntSize(remaining) + remaining - (separate ? payloadBytes : 0);
  const head = writeBuffer(headLength) as Utf8Buffer;
  head[0] = 0x30 | (packet.dup ? 0x08 : 0) | (qos << 1) | (packet.retain ? 1 : 0);
  let at = writeVarInt(head, 1, remaining);
  at = writeString(head, at, topic);
  if (qos > 0) {
    head[at++] = (messageId as number) >> 8;
    head[at++] = (messageId as number) & 0xff;
  }
  if (version === 5) {
    at = writeVarInt(head, at, propsLength);
    if (properties !== undefined) at = writeProperties(head, at, properties);
  }
  if (separate) return [head, text !== undefined ? Buffer.from(text, "utf8") : (bytes as Uint8Array as Buffer)];
  if (text !== undefined) head.utf8Write(text, at);
  else if (bytes !== undefined) head.set(bytes, at);
  return [head];
}

/**
 * The packet as the buffers to write (one, or two for a large payload), or undefined
 * when mqtt-packet should write it. PUBLISH (QoS 0-2, the properties our messages use)
 * and PUBACK (no properties, reason code 0) only.
 */
export function encodePacket(packet: PacketLike, version: number): Buffer[] | undefined {
  if (version !== 4 && version !== 5) return undefined;
  if (packet.cmd === "publish") return encodePublish(packet, version);
  if (packet.cmd === "puback") {
    const id = packet.messageId;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > MAX_TWO_BYTE || packet.properties !== undefined) return undefined;
    if (version === 5 && packet.reasonCode !== 0) return undefined;
    const out = Buffer.allocUnsafe(4);
    out[0] = 0x40;
    out[1] = 2;
    out[2] = id >> 8;
    out[3] = id & 0xff;
    return [out];
  }
  return undefined;
}

interface PacketWriter {
  _writePacket(packet: PacketLike, cb?: () => void): void;
  emit(event: "packetsend", packet: PacketLike): boolean;
  noop: () => void;
  options: { protocolVersion?: number };
  stream: {
    write(chunk: Buffer): boolean;
    once(event: "drain", listener: () => void): unknown;
    cork?(): void;
    uncork?(): void;
    writableCorked?: number;
  };
}

function uncork(stream: PacketWriter["stream"]): void {
  stream.uncork?.();
}

/** Node's Buffer (not a browser polyfill) writes text in place; the encoder needs it. */
const canEncode = typeof (Buffer.prototype as Partial<Utf8Buffer>).utf8Write === "function";

/**
 * Has an mqtt.js client write its PUBLISH and PUBACK packets through {@link encodePacket}:
 * the same bytes in one write. mqtt.js has no public hook for it; its one method that
 * writes packets is taken over on this client (as mqtt.js itself does it: `packetsend`,
 * then the write, then the callback, after `drain` when the stream asked to wait).
 */
export function writePacketsEncoded(client: unknown): void {
  const writer = client as PacketWriter;
  // A later mqtt.js without this private method keeps its own writing.
  if (!canEncode || typeof writer._writePacket !== "function") return;
  const original = writer._writePacket.bind(writer);
  writer._writePacket = (packet, cb) => {
    const buffers = encodePacket(packet, writer.options.protocolVersion ?? 4);
    if (buffers === undefined) return original(packet, cb);
    writer.emit("packetsend", packet);
    const { stream } = writer;
    // Corked until the next tick, as mqtt-packet does (and what starts a held write);
    // already corked, the pending uncork sends this packet too, without a tick of its own.
    if (stream.cork && (stream.writableCorked ?? 0) === 0) {
      stream.cork();
      process.nextTick(uncork, stream);
    }
    let result = true;
    if (packet.cmd === "puback") result = holdAck(stream, buffers[0]!) ?? stream.write(buffers[0]!);
    else {
      for (const buffer of buffers) result = stream.write(buffer);
      // A PUBLISH is someone's answer or request: it leaves now (acknowledgements wait).
      sendHeldNow(stream);
    }
    if (!result && cb && cb !== writer.noop) writer.stream.once("drain", cb);
    else if (cb) cb();
  };
}
