/**
 * The node:crypto functions @a2a/client and @a2a/transport use, over the browser's Web
 * Crypto (the same CSPRNG Node's versions read).
 */
import { Buffer } from "buffer";

const MAX_CHUNK = 65_536; // getRandomValues fills at most this many bytes per call

export function randomFillSync<T extends ArrayBufferView>(view: T): T {
  const bytes = new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength);
  for (let at = 0; at < bytes.length; at += MAX_CHUNK) globalThis.crypto.getRandomValues(bytes.subarray(at, at + MAX_CHUNK));
  return view;
}

export function randomBytes(size: number): Buffer {
  return randomFillSync(Buffer.alloc(size));
}

export function randomUUID(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Only agents digest requests (de-duplication in @a2a/transport/binding); the console is
 * a client and never calls it, but the binding module imports it.
 */
export function createHash(algorithm: string): never {
  throw new Error(`createHash(${JSON.stringify(algorithm)}) is not available in the browser console: request digests are computed by agents.`);
}
