import { Duplex } from "node:stream";

/** Bounds on what one connection may send, checked before aedes buffers anything. */
export interface PacketLimits {
  /** Largest MQTT packet (fixed header included) of a logged-in client, in bytes. */
  maxPacketSize: number;
  /**
   * Most bytes read from a connection before it has logged in: its CONNECT (will
   * included) and anything sent before the CONNACK. The first packet must be CONNECT.
   */
  maxConnectBytes: number;
}

/** Why a guarded connection was closed. */
export interface PacketViolation {
  reason: string;
  /** Bytes read from the connection, the refused chunk included: what the broker held at most. */
  bytesRead: number;
}

const CONNECT = 1;

/**
 * A duplex in front of a client's stream that reads the MQTT fixed header of every
 * packet (type and remaining length) as the bytes arrive and closes the connection as
 * soon as a header announces a packet over the limit, before its body is buffered:
 * aedes 1.2 has no packet size limit and would otherwise collect a 256 MB packet whole
 * before looking at it. Bytes are passed through unchanged.
 */
export class PacketGuard extends Duplex {
  readonly #inner: Duplex;
  readonly #limits: PacketLimits;
  readonly #onViolation: (violation: PacketViolation) => void;
  #bytesRead = 0;
  #loggedIn = false;
  #first = true;
  /** Body bytes of the current packet still to pass through. */
  #bodyLeft = 0;
  /** Fixed-header bytes of the next packet seen so far (type byte, then length bytes). */
  #headerBytes = 0;
  #remaining = 0;
  #multiplier = 1;

  constructor(inner: Duplex, limits: PacketLimits, onViolation: (violation: PacketViolation) => void) {
    super({ allowHalfOpen: false, decodeStrings: true });
    this.#inner = inner;
    this.#limits = limits;
    this.#onViolation = onViolation;
    inner.on("data", (chunk: Buffer) => this.#onData(chunk));
    inner.on("end", () => this.push(null));
    inner.on("error", (error) => this.destroy(error));
    inner.on("close", () => this.destroy());
    inner.on("drain", () => this.emit("drain-inner"));
  }

  /** The stream this guard reads from and writes to (a TLS socket, for certificate checks). */
  get inner(): Duplex {
    return this.#inner;
  }

  /** From now on the connection is logged in: packets up to `maxPacketSize` are read. */
  markLoggedIn(): void {
    this.#loggedIn = true;
  }

  #onData(chunk: Buffer): void {
    this.#bytesRead += chunk.length;
    const problem = this.#scan(chunk);
    if (problem !== undefined) {
      this.#onViolation({ reason: problem, bytesRead: this.#bytesRead });
      this.#inner.destroy();
      this.destroy();
      return;
    }
    if (!this.push(chunk)) this.#inner.pause();
  }

  /** Follows packet boundaries through `chunk`; returns why to close, or undefined. */
  #scan(chunk: Buffer): string | undefined {
    if (!this.#loggedIn && this.#bytesRead > this.#limits.maxConnectBytes) {
      return `it sent more than ${this.#limits.maxConnectBytes} bytes before logging in`;
    }
    let i = 0;
    while (i < chunk.length) {
      if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - i);
        this.#bodyLeft -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.#headerBytes === 0) {
        if (this.#first && byte >> 4 !== CONNECT) return `its first packet (type ${byte >> 4}) is not CONNECT`;
        this.#headerBytes = 1;
        this.#remaining = 0;
        this.#multiplier = 1;
        continue;
      }
      this.#headerBytes++;
      this.#remaining += (byte & 0x7f) * this.#multiplier;
      this.#multiplier *= 128;
      if (byte & 0x80) {
        // The remaining length is at most four bytes long.
        if (this.#headerBytes > 4) return "a packet's remaining length is malformed (more than four bytes)";
        continue;
      }
      const size = this.#headerBytes + this.#remaining;
      const limit = this.#first || !this.#loggedIn ? this.#limits.maxConnectBytes : this.#limits.maxPacketSize;
      if (size > limit) {
        const what = this.#loggedIn ? "a packet" : "a packet before login";
        return `${what} of ${size} bytes is over the limit of ${limit} bytes`;
      }
      this.#first = false;
      this.#headerBytes = 0;
      this.#bodyLeft = this.#remaining;
    }
    return undefined;
  }

  override _read(): void {
    this.#inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#inner.write(chunk)) callback();
    else this.once("drain-inner", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#inner.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner.destroy();
    callback(error);
  }
}
