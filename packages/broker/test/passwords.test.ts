import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, requireMosquitto } from "@a2a/testing";
import { connectAsync } from "mqtt";
import { hashMosquittoPassword, hashPassword, isMosquittoPasswordHash, verifyPassword } from "../src/index.js";
import { runExportedMosquitto } from "./helpers/exported-mosquitto.js";

describe("hashPassword / verifyPassword (scrypt)", () => {
  it("verifies the right password only, with a fresh salt per hash", async () => {
    const a = await hashPassword("s3cret", { cost: 1024 });
    const b = await hashPassword("s3cret", { cost: 1024 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("s3cret", a)).toBe(true);
    expect(await verifyPassword("s3cret!", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
  });

  it("never matches a malformed or tampered hash", async () => {
    const hash = await hashPassword("s3cret", { cost: 1024 });
    expect(await verifyPassword("s3cret", "s3cret")).toBe(false);
    expect(await verifyPassword("s3cret", hash.replace("scrypt$1024", "scrypt$1048576000"))).toBe(false);
    expect(await verifyPassword("s3cret", `${hash.slice(0, -4)}AAA=`)).toBe(false);
  });

  it("refuses costs that are not powers of two", async () => {
    await expect(hashPassword("x", { cost: 1000 })).rejects.toThrow(/power of two/);
  });
});

describe("hashMosquittoPassword ($7$ PBKDF2-SHA512)", () => {
  it("writes mosquitto's format", async () => {
    const hash = await hashMosquittoPassword("s3cret", { iterations: 1000 });
    expect(hash).toMatch(/^\$7\$1000\$/);
    expect(isMosquittoPasswordHash(hash)).toBe(true);
    const [, , , salt, key] = hash.split("$");
    expect(Buffer.from(salt!, "base64")).toHaveLength(12);
    expect(Buffer.from(key!, "base64")).toHaveLength(64);
  });

  describe.runIf(requireMosquitto())("with mosquitto", () => {
    it("is accepted by mosquitto, and mosquitto_passwd's own hashes are accepted as entries", async () => {
      const dir = await mkdtemp(join(tmpdir(), "a2a-broker-passwd-"));
      try {
        // A hash made by the real tool, for the documented alternative.
        execFileSync("mosquitto_passwd", ["-c", "-b", join(dir, "tool"), "bob", "bob-secret"]);
        const toolHash = (await readFile(join(dir, "tool"), "utf8")).trim().split(":")[1]!;
        expect(isMosquittoPasswordHash(toolHash)).toBe(true);

        const port = await freePort();
        const mosquitto = await runExportedMosquitto({
          dir,
          export: {
            port,
            host: "127.0.0.1",
            users: [
              { username: "alice", role: "client", mosquittoPasswordHash: await hashMosquittoPassword("alice-secret", { iterations: 1000 }) },
              { username: "bob", role: "client", mosquittoPasswordHash: toolHash },
            ],
          },
        });
        try {
          const url = `mqtt://127.0.0.1:${port}`;
          const options = { protocolVersion: 5 as const, reconnectPeriod: 0 };
          const alice = await connectAsync(url, { ...options, username: "alice", password: "alice-secret" });
          await alice.endAsync();
          const bob = await connectAsync(url, { ...options, username: "bob", password: "bob-secret" });
          await bob.endAsync();
          await expect(connectAsync(url, { ...options, username: "alice", password: "bob-secret" })).rejects.toThrow();
        } finally {
          await mosquitto.close();
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
});
