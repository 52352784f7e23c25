/**
 * Incoming PUBLISH and PUBACK packets read straight from the socket's chunk, the packet
 * objects exactly as mqtt-packet's parser makes them.
 *
 * mqtt-packet's parser copies every chunk into a buffer list, walks a state machine and
 * makes a dozen `debug` calls per packet (each allocating its arguments, even with
 * logging off). Every request, reply, stream frame and acknowledgement is one of these
 * two packets. Here each whole packet in a chunk is read in one pass when it is one of
 * them and well formed as far as read here (known properties, each once, every length
 * inside the packet); one that a chunk ends inside is put together from the chunks it
 * comes in. From the first packet that is anything else (other packet types, other or
 * repeated properties, larger than this reader carries, malformed) the rest goes to
 * mqtt-packet's parser, in the chunks it came in, which accepts or rejects it as it
 * always did. This reader never rejects a packet itself and never reads past the packet
 * it reads.
 */
import { createRequire } from "node:module";

/** The parts of mqtt-packet's parser used here; checked before it is taken over. */
interface MqttPacketParser {
  parse(chunk: Buffer): number;
  emit(event: "packet", packet: object): boolean;
  settings?: { protocolVersion?: number };
  error: unknown;
  packet: { length: number };
  _list: { length: number };
  _stateCounter: number;
}

export interface DecodedPacket {
  cmd: "publish" | "puback";
  retain: boolean;
  qos: number;
  dup: boolean;
  length: number;
  topic: string | null;
  payload: Buffer | null;
  messageId?: number;
  reasonCode?: number;
  properties?: Record<string, unknown>;
}

const PUBACK = 0x40;
const PUBLISH_TYPE = 3;

/**
 * The options objects of our own clients: mqtt.js builds a parser from its client's
 * options at every connect, and only those parsers read packets here (any other mqtt.js
 * client in the process keeps mqtt-packet's parser as it is).
 */
const ownOptions = new WeakSet<object>();
let hooked: boolean | undefined;

/** Reads this client's incoming PUBLISH and PUBACK packets here from its next connect on. */
export function readPacketsDecoded(client: unknown): void {
  const options = (client as { options?: unknown }).options;
  if (typeof options !== "object" || options === null || !hookParserFactory()) return;
  ownOptions.add(options);
}

/** Wraps mqtt-packet's `parser` factory, as mqtt.js loads it; false when it is not there. */
function hookParserFactory(): boolean {
  if (hooked !== undefined) return hooked;
  hooked = false;
  try {
    const fromMqtt = createRequire(createRequire(import.meta.url).resolve("mqtt"));
    const mqttPacket = fromMqtt("mqtt-packet") as { parser?: (options?: object) => unknown };
    const factory = mqttPacket.parser;
    if (typeof factory !== "function") return false;
    mqttPacket.parser = function parser(this: unknown, options?: object): unknown {
      const made = factory.call(this, options);
      if (options !== undefined && ownOptions.has(options)) decodeHotPackets(made);
      return made;
    };
    hooked = true;
  } catch {
    // Not on Node, or mqtt-packet not where mqtt.js has it: mqtt-packet parses everything.
  }
  return hooked;
}

function looksLikeParser(value: unknown): value is MqttPacketParser {
  const p = value as Partial<MqttPacketParser> | null;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.parse === "function" &&
    typeof p.emit === "function" &&
    typeof p._stateCounter === "number" &&
    typeof p._list?.length === "number" &&
    typeof p.packet?.length === "number"
  );
}

/** Between packets: nothing buffered and no packet begun. */
const idle = (p: MqttPacketParser): boolean => p._stateCounter === 0 && p._list.length === 0 && p.packet.length === -1 && !p.error;

/**
 * Packets up to this size that a chunk ends inside are put together here; larger ones
 * are left to mqtt-packet. A bound on what one packet can make this reader hold.
 */
const MAX_CARRIED_BYTES = 1024 * 1024 + 64 * 1024;

/**
 * Takes over `parser.parse`: whole PUBLISH and PUBACK packets (while the parser holds
 * nothing) are read here, in order with everything else, and emitted as the parser
 * emits its packets. One that a chunk ends inside (4 KB messages at a high rate end
 * most chunks inside one) is carried over to the next chunk and read here too, rather
 * than handing mqtt-packet everything from there on. Exported for the tests.
 */
export function decodeHotPackets(parser: unknown): void {
  if (!looksLikeParser(parser) || !idle(parser)) return;
  const parse = parser.parse.bind(parser);
  // A packet begun at the end of a chunk: the chunks it came in, as they came (its first
  // piece from the packet's start), `total` bytes in all, -1 while its remaining length
  // is itself cut off. mqtt-packet drops the rest of a chunk at an error, so whatever it
  // is handed must come in the same chunks as from the socket.
  let carried: Buffer[] | undefined;
  let carriedBytes = 0;
  let total = -1;
  const carry = (piece: Buffer, size: number): number => {
    carried = [piece];
    carriedBytes = piece.length;
    total = size;
    return carriedBytes;
  };
  /** Hands the carried chunks, then `input`, to mqtt-packet as they came. */
  const giveUp = (pieces: Buffer[], input: Buffer): number => {
    carried = undefined;
    for (const piece of pieces) parse(piece);
    return parse(input);
  };

  parser.parse = function parseHot(input: Buffer): number {
    if (!idle(parser) || !Buffer.isBuffer(input)) return parse(input);
    const v5 = parser.settings?.protocolVersion === 5;
    let chunk = input;
    const pieces = carried;
    if (pieces !== undefined) {
      if (total < 0) {
        const head = Buffer.concat([...pieces, input.subarray(0, 5)]);
        const length = remainingLength(head, 1, head.length);
        if (length < 0) {
          if (!lengthCutOff(head, 1, head.length)) return giveUp(pieces, input);
          pieces.push(input);
          carriedBytes += input.length;
          return carriedBytes;
        }
        total = 1 + varIntBytes(length) + length;
        if (total > MAX_CARRIED_BYTES) return giveUp(pieces, input);
      }
      const missing = total - carriedBytes;
      if (input.length < missing) {
        pieces.push(input);
        carriedBytes += input.length;
        return carriedBytes;
      }
      carried = undefined;
      const whole = Buffer.concat([...pieces, input.subarray(0, missing)], total);
      const packet = decodePacket(whole, 0, v5);
      if (packet === undefined) return giveUp(pieces, input);
      parser.emit("packet", packet);
      if (input.length === missing) return 0;
      chunk = input.subarray(missing);
    }
    const end = chunk.length;
    let at = 0;
    while (at < end) {
      const length = remainingLength(chunk, at + 1, end);
      if (length < 0) {
        if (mayCarry(chunk[at]!) && lengthCutOff(chunk, at + 1, end)) return carry(chunk.subarray(at), -1);
        break;
      }
      const packetEnd = at + 1 + varIntBytes(length) + length;
      if (packetEnd > end) {
        if (mayCarry(chunk[at]!) && packetEnd - at <= MAX_CARRIED_BYTES) return carry(chunk.subarray(at), packetEnd - at);
        break;
      }
      const packet = decodePacket(chunk, at, v5);
      // mqtt-packet gets the rest of the chunk, not just this packet: it reads some
      // malformed packets past their length, and must see what it always saw.
      if (packet === undefined) break;
      parser.emit("packet", packet);
      at = packetEnd;
    }
    if (at === 0) return parse(chunk);
    return at < end ? parse(chunk.subarray(at)) : 0;
  };
}

/** A first byte {@link decodePacket} may read: PUBACK, or PUBLISH at QoS 0–2. */
const mayCarry = (first: number): boolean => first === PUBACK || (first >> 4 === PUBLISH_TYPE && ((first >> 1) & 0x03) !== 3);

/** True when the chunk ends inside a remaining length: fewer than 4 bytes, each saying more follow. */
function lengthCutOff(chunk: Buffer, at: number, end: number): boolean {
  if (end - at >= 4) return false;
  for (let i = at; i < end; i++) if ((chunk[i]! & 0x80) === 0) return false;
  return true;
}

/** The remaining length at `at`, or -1 when it is not all in the chunk or is not a valid 1–4 byte integer. */
function remainingLength(chunk: Buffer, at: number, end: number): number {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 4 && at + i < end; i++) {
    const byte = chunk[at + i]!;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return i > 0 && byte === 0 ? -1 : value; // a padded length is left to mqtt-packet
    multiplier *= 128;
  }
  return -1;
}

const varIntBytes = (n: number): number => (n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4);

/** The packet, or undefined when mqtt-packet should read it. */
function decodePacket(chunk: Buffer, start: number, v5: boolean): DecodedPacket | undefined {
  // The caller has checked that the whole packet is in the chunk.
  const first = chunk[start]!;
  const length = remainingLength(chunk, start + 1, chunk.length);
  const body = start + 1 + varIntBytes(length);
  const end = body + length;
  if (first === PUBACK) {
    if (length === 2) {
      const packet: DecodedPacket = { cmd: "puback", retain: false, qos: 0, dup: false, length, topic: null, payload: null };
      packet.messageId = chunk.readUInt16BE(body);
      if (v5) packet.reasonCode = 0;
      return packet;
    }
    if (v5 && length === 3) {
      const code = chunk[body + 2]!;
      if (code !== 0x00 && code !== 0x10) return undefined;
      const packet: DecodedPacket = { cmd: "puback", retain: false, qos: 0, dup: false, length, topic: null, payload: null };
      packet.messageId = chunk.readUInt16BE(body);
      packet.reasonCode = code;
      return packet;
    }
    return undefined;
  }
  if (first >> 4 !== PUBLISH_TYPE) return undefined;
  const qos = (first >> 1) & 0x03;
  if (qos === 3 || length < 2) return undefined;
  let at = body;
  const topicEnd = at + 2 + chunk.readUInt16BE(at);
  if (topicEnd > end) return undefined;
  const topic = chunk.toString("utf8", at + 2, topicEnd);
  at = topicEnd;
  const packet: DecodedPacket = { cmd: "publish", retain: (first & 0x01) !== 0, qos, dup: (first & 0x08) !== 0, length, topic, payload: null };
  if (qos > 0) {
    if (at + 2 > end) return undefined;
    packet.messageId = chunk.readUInt16BE(at);
    at += 2;
  }
  if (v5) {
    const read = readProperties(chunk, at, end);
    if (read === undefined) return undefined;
    if (read.properties !== undefined) packet.properties = read.properties;
    at = read.end;
  }
  packet.payload = chunk.subarray(at, end);
  return packet;
}

/** A PUBLISH's properties as mqtt-packet shapes them, or undefined when it should read them. */
function readProperties(chunk: Buffer, at: number, packetEnd: number): { properties: Record<string, unknown> | undefined; end: number } | undefined {
  const size = varInt(chunk, at, packetEnd);
  if (size === undefined) return undefined;
  at = size.end;
  const end = at + size.value;
  if (end > packetEnd) return undefined;
  if (size.value === 0) return { properties: undefined, end };
  const properties: Record<string, unknown> = {};
  while (at < end) {
    const id = chunk[at++]!;
    let name: string;
    let value: unknown;
    switch (id) {
      case 0x01:
        if (at + 1 > end) return undefined;
        name = "payloadFormatIndicator";
        value = chunk[at++] !== 0;
        break;
      case 0x02:
        if (at + 4 > end) return undefined;
        name = "messageExpiryInterval";
        value = chunk.readUInt32BE(at);
        at += 4;
        break;
      case 0x03:
      case 0x08: {
        const text = readString(chunk, at, end);
        if (text === undefined) return undefined;
        name = id === 0x03 ? "contentType" : "responseTopic";
        value = text.value;
        at = text.end;
        break;
      }
      case 0x09: {
        if (at + 2 > end) return undefined;
        const dataEnd = at + 2 + chunk.readUInt16BE(at);
        if (dataEnd > end) return undefined;
        name = "correlationData";
        value = chunk.subarray(at + 2, dataEnd);
        at = dataEnd;
        break;
      }
      case 0x0b: {
        const n = varInt(chunk, at, end);
        if (n === undefined) return undefined;
        name = "subscriptionIdentifier";
        value = n.value;
        at = n.end;
        break;
      }
      case 0x23:
        if (at + 2 > end) return undefined;
        name = "topicAlias";
        value = chunk.readUInt16BE(at);
        at += 2;
        break;
      case 0x26: {
        const key = readString(chunk, at, end);
        if (key === undefined) return undefined;
        const text = readString(chunk, key.end, end);
        if (text === undefined) return undefined;
        at = text.end;
        const pairs = (properties.userProperties ??= Object.create(null)) as Record<string, string | string[]>;
        const before = pairs[key.value];
        // Repeated names collect their values in order, as mqtt-packet does (a falsy first value is replaced there, so left to it).
        if (before === undefined) pairs[key.value] = text.value;
        else if (before === "") return undefined;
        else if (Array.isArray(before)) before.push(text.value);
        else pairs[key.value] = [before, text.value];
        continue;
      }
      default:
        return undefined;
    }
    // A property given twice is rare and mqtt-packet's to shape.
    if (name in properties) return undefined;
    properties[name] = value;
  }
  return at === end ? { properties, end } : undefined;
}

function readString(chunk: Buffer, at: number, end: number): { value: string; end: number } | undefined {
  if (at + 2 > end) return undefined;
  const textEnd = at + 2 + chunk.readUInt16BE(at);
  if (textEnd > end) return undefined;
  return { value: chunk.toString("utf8", at + 2, textEnd), end: textEnd };
}

/** A variable byte integer wholly before `end`, or undefined. */
function varInt(chunk: Buffer, at: number, end: number): { value: number; end: number } | undefined {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 4 && at + i < end; i++) {
    const byte = chunk[at + i]!;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value, end: at + i + 1 };
    multiplier *= 128;
  }
  return undefined;
}
