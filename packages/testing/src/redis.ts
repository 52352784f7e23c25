import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait-for.js";

/** The redis-server binary (Debian's `redis-server` package), or undefined. */
export function redisServerPath(): string | undefined {
  for (const candidate of ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]) if (existsSync(candidate)) return candidate;
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  return found.status === 0 && found.stdout.trim() !== "" ? found.stdout.trim() : undefined;
}

/**
 * Whether tests needing Redis should run: true when redis-server is installed; under
 * `CI=true` a missing redis-server throws instead of silently skipping.
 */
export function requireRedis(): boolean {
  const available = redisServerPath() !== undefined;
  if (!available && process.env.CI === "true") {
    throw new Error("redis-server is required under CI=true but was not found; install the `redis-server` package.");
  }
  return available;
}

/** A Redis server of a test. */
export interface RedisHandle {
  /** `redis://127.0.0.1:{port}` */
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL: its data is thrown away anyway). Idempotent. */
  close(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts redis-server on a free port of 127.0.0.1, in memory only (no RDB or AOF
 * files), and resolves once it answers PING.
 */
export async function startRedis(options: { startTimeoutMs?: number } = {}): Promise<RedisHandle> {
  const binary = redisServerPath();
  if (!binary) throw new Error("redis-server was not found (looked at /usr/bin and PATH); install the `redis-server` package.");
  const port = await freePort();
  let output = "";
  let exited: string | undefined;
  const child = spawn(binary, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", "/tmp"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.once("exit", (code, signal) => (exited = `exited with ${signal ?? code}`));
  try {
    await waitFor(async () => exited !== undefined || (await ping(port)), {
      timeoutMs: options.startTimeoutMs ?? 10_000,
      intervalMs: 20,
      message: `redis-server to answer on port ${port}`,
    });
    if (exited) throw new Error(exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`redis-server did not start (${(error as Error).message}): ${output.trim()}`, { cause: error });
  }
  let closing: Promise<void> | undefined;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      })),
  };
}
