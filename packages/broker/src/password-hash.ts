import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/**
 * Password hashes of the embedded broker: scrypt with a per-user random salt, stored as
 * `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>` so the cost travels with the hash and
 * can be raised later without breaking old entries.
 */

const PREFIX = "scrypt";
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// Refuse absurd cost parameters from a tampered users file instead of hanging the broker.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

export interface HashPasswordOptions {
  /** scrypt CPU/memory cost, a power of two. @default 16384 (2^14) */
  cost?: number;
  /** scrypt block size. @default 8 */
  blockSize?: number;
  /** scrypt parallelisation. @default 1 */
  parallelization?: number;
}

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must cover 128 * N * r bytes, with headroom for the largest allowed cost.
    const maxmem = 256 * (options.N ?? 16384) * (options.r ?? 8);
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password for a users entry (`passwordHash`) of `createBroker`.
 * @example
 * const passwordHash = await hashPassword("s3cret");
 * // "scrypt$16384$8$1$...$..."
 */
export async function hashPassword(password: string, options: HashPasswordOptions = {}): Promise<string> {
  const N = options.cost ?? 16384;
  const r = options.blockSize ?? 8;
  const p = options.parallelization ?? 1;
  if (!Number.isInteger(Math.log2(N)) || N < 2 || N > MAX_N) throw new RangeError(`scrypt cost must be a power of two up to ${MAX_N}, got ${N}.`);
  if (r < 1 || r > MAX_R || p < 1 || p > MAX_P) throw new RangeError(`scrypt blockSize must be 1..${MAX_R} and parallelization 1..${MAX_P}.`);
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, { N, r, p });
  return [PREFIX, N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(hash: string): ParsedHash | undefined {
  const parts = hash.split("$");
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isInteger) || N < 2 || N > MAX_N || r < 1 || r > MAX_R || p < 1 || p > MAX_P) return undefined;
  const salt = Buffer.from(parts[4] ?? "", "base64");
  const key = Buffer.from(parts[5] ?? "", "base64");
  if (salt.length === 0 || key.length !== KEY_LENGTH) return undefined;
  return { N, r, p, salt, key };
}

/** True when `hash` looks like a hash made by `hashPassword`. */
export function isPasswordHash(hash: string): boolean {
  return parseHash(hash) !== undefined;
}

/**
 * Checks a password against a hash made by `hashPassword`, in constant time.
 * A malformed hash never matches.
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parsed = parseHash(hash);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, { N: parsed.N, r: parsed.r, p: parsed.p });
  return timingSafeEqual(key, parsed.key);
}
