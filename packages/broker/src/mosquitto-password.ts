import { pbkdf2, randomBytes } from "node:crypto";

/**
 * Password hashes in mosquitto's own password-file format (mosquitto 2.x, "$7$"):
 * PBKDF2-HMAC-SHA512, `$7$<iterations>$<salt base64>$<hash base64>`, 12-byte salt and
 * 64-byte hash, the same as `mosquitto_passwd` writes.
 */

const SALT_LENGTH = 12;
const HASH_LENGTH = 64;

export interface HashMosquittoPasswordOptions {
  /**
   * PBKDF2 iterations. mosquitto_passwd uses 101 by default, which is cheap to attack;
   * this default follows current guidance for PBKDF2-SHA512, at the price of a slower
   * CONNECT on the broker.
   * @default 210000
   */
  iterations?: number;
}

/**
 * Hashes a password for mosquitto's `password_file` (see `toMosquittoConfig`).
 * @example
 * const line = `alice:${await hashMosquittoPassword("s3cret")}`;
 */
export function hashMosquittoPassword(password: string, options: HashMosquittoPasswordOptions = {}): Promise<string> {
  const iterations = options.iterations ?? 210_000;
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a positive integer, got ${iterations}.`);
  const salt = randomBytes(SALT_LENGTH);
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, HASH_LENGTH, "sha512", (error, key) =>
      error ? reject(error) : resolve(`$7$${iterations}$${salt.toString("base64")}$${key.toString("base64")}`),
    );
  });
}

/** True when `hash` is in mosquitto's `$7$` format. */
export function isMosquittoPasswordHash(hash: string): boolean {
  return /^\$7\$[1-9][0-9]*\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/.test(hash);
}
