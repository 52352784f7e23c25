import { connect as netConnect } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import { WebSocket, createWebSocketStream } from "ws";

/** The remaining-length varint of an MQTT fixed header. */
export function remainingLength(length: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = length % 128;
    length = Math.floor(length / 128);
    if (length > 0) byte |= 0x80;
    bytes.push(byte);
  } while (length > 0);
  return Buffer.from(bytes);
}

function mqttString(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** An MQTT 3.1.1 CONNECT with a clean session, username and password. */
export function connectPacket(clientId: string, username: string, password: string): Buffer {
  const body = Buffer.concat([
    mqttString("MQTT"),
    Buffer.from([4, 0x80 | 0x40 | 0x02, 0, 60]),
    mqttString(clientId),
    mqttString(username),
    mqttString(password),
  ]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]);
}

/** The fixed header and topic of a QoS 0 PUBLISH announcing `bodyLength` bytes after the header. */
export function publishHeader(topic: string, bodyLength: number): Buffer {
  return Buffer.concat([Buffer.from([0x30]), remainingLength(bodyLength), mqttString(topic)]);
}

export interface RawConnection {
  stream: Duplex;
  /** Everything the broker sent. */
  received(): Buffer;
  /** Resolves when the broker has closed the connection. */
  closed: Promise<void>;
  isClosed(): boolean;
}

/** A raw stream to a broker over TCP, TLS (`ca`) or WebSocket, with what comes back recorded. */
export async function rawConnect(url: string, options: { ca?: string | Buffer } = {}): Promise<RawConnection> {
  const parsed = new URL(url);
  const port = Number(parsed.port);
  let stream: Duplex;
  if (parsed.protocol === "mqtt:") {
    const socket = netConnect({ host: parsed.hostname, port });
    await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
    stream = socket;
  } else if (parsed.protocol === "mqtts:") {
    const socket = tlsConnect({ host: parsed.hostname, port, ...(options.ca ? { ca: options.ca } : {}), servername: "localhost" });
    await new Promise<void>((resolve, reject) => socket.once("secureConnect", resolve).once("error", reject));
    stream = socket;
  } else {
    const ws = new WebSocket(url, "mqtt", options.ca ? { ca: options.ca } : {});
    await new Promise<void>((resolve, reject) => ws.once("open", resolve).once("error", reject));
    stream = createWebSocketStream(ws);
  }
  const chunks: Buffer[] = [];
  let closed = false;
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("error", () => {});
  const closedPromise = new Promise<void>((resolve) => stream.once("close", () => {
    closed = true;
    resolve();
  }));
  return { stream, received: () => Buffer.concat(chunks), closed: closedPromise, isClosed: () => closed };
}

/**
 * Writes `total` bytes of zeros in 64 KiB chunks, honouring backpressure, until done or
 * the connection closes; returns how many bytes were handed to the socket.
 */
export async function writeZeros(connection: RawConnection, total: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024);
  let written = 0;
  while (written < total && !connection.isClosed()) {
    const piece = chunk.subarray(0, Math.min(chunk.length, total - written));
    const ok = connection.stream.write(piece);
    written += piece.length;
    if (!ok) await Promise.race([new Promise((resolve) => connection.stream.once("drain", resolve)), connection.closed]);
  }
  return written;
}
