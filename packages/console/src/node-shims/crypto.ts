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
