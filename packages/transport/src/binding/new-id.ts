import { randomFillSync } from "node:crypto";

/** Random bytes for 256 ids, refilled from the system's CSPRNG when used up. */
const POOL_BYTES = 16 * 256;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;
const text = Buffer.alloc(36);
const HEX = Buffer.from("0123456789abcdef", "latin1");

/**
 * A random (version 4) UUID as one flat string. `crypto.randomUUID()` builds its string
 * from ~20 concatenated pieces that stay a tree (~500 bytes) until something flattens
 * it; agents and clients make several ids per task (task, context, message and JSON-RPC ids), so they are written out here as latin1 text
 * and read as one string.
 */
export function newId(): string {
  if (used === POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const at = used;
  used += 16;
  let j = 0;
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[j++] = 0x2d;
    let byte = pool[at + i]!;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // RFC 4122 variant
    text[j++] = HEX[byte >> 4]!;
    text[j++] = HEX[byte & 0x0f]!;
  }
  return text.toString("latin1", 0, 36);
}
