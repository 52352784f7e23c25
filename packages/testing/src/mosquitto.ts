import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./free-port.js";

/** The mosquitto executable: /usr/sbin/mosquitto, else `mosquitto` on PATH. */
export function mosquittoPath(): string | undefined {
  const candidates = ["/usr/sbin/mosquitto", ...(process.env.PATH ?? "").split(delimiter).map((d) => join(d, "mosquitto"))];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there; try the next one
    }
  }
  return undefined;
}

/** True when a mosquitto binary can be started. */
export function mosquittoAvailable(): boolean {
  return mosquittoPath() !== undefined;
}

/**
 * For suites that need mosquitto: true when it is available; when it is missing,
 * throws under `CI=true` (so the suite fails instead of silently skipping) and
 * returns false elsewhere (so a developer without mosquitto can skip it).
 * @example describe.runIf(requireMosquitto())("on mosquitto", () => { ... });
 */
export function requireMosquitto(): boolean {
  if (mosquittoAvailable()) return true;
  if (process.env.CI === "true") {
    throw new Error("mosquitto is required under CI=true but was not found: install the `mosquitto` package (/usr/sbin/mosquitto).");
  }
  return false;
}

export interface StartMosquittoOptions {
  /** @default a free port */
  port?: number;
  /** Save sessions, queued and retained messages to a file kept across `restart()`. @default false */
  persistence?: boolean;
  /** Lines appended to the generated mosquitto.conf. */
  extraConfig?: string;
  /** How long to wait for the broker to accept connections. @default 10000 */
  startTimeoutMs?: number;
}

/** A mosquitto process (MQTT 5 and 3.1.1) listening on 127.0.0.1. */
export interface MosquittoHandle {
  readonly url: string;
  readonly port: number;
  /** The temporary directory holding the config and the persistence file. */
  readonly dir: string;
  /** Stops the process (SIGTERM, which saves persistence) and removes the directory. */
  close(): Promise<void>;
  /** Stops and starts again with the same port, config and persistence file. */
  restart(): Promise<void>;
}

async function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Spawns mosquitto with a generated config (anonymous access, TCP_NODELAY, optional
 * persistence) and resolves once it accepts TCP connections.
 * @throws when mosquitto is missing or does not come up in time (its stderr included).
 */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoHandle> {
  const binary = mosquittoPath();
  if (!binary) throw new Error("mosquitto was not found (looked at /usr/sbin/mosquitto and PATH); install the `mosquitto` package.");
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "a2a-mosquitto-"));
  const configPath = join(dir, "mosquitto.conf");
  const lines = [
    `listener ${port} 127.0.0.1`,
    "allow_anonymous true",
    "set_tcp_nodelay true",
    "log_dest stderr",
    "log_type error",
    "log_type warning",
  ];
  // Started as root, mosquitto switches to the user "mosquitto", which could not write
  // its persistence file into our private temp dir; stay the user that started it.
  if (process.getuid?.() === 0) lines.push("user root");
  if (options.persistence) lines.push("persistence true", `persistence_location ${dir}/`, "persistence_file mosquitto.db");
  if (options.extraConfig) lines.push(options.extraConfig);
  await writeFile(configPath, `${lines.join("\n")}\n`);

  let child: ChildProcess | undefined;
  const timeoutMs = options.startTimeoutMs ?? 10_000;

  const start = async () => {
    let stderr = "";
    let exited: string | undefined;
    const proc = spawn(binary, ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
    child = proc;
    proc.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    proc.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
    });
    const deadline = Date.now() + timeoutMs;
    while (!(await canConnect(port))) {
      if (exited || Date.now() > deadline) {
        proc.kill("SIGKILL");
        throw new Error(`mosquitto did not start on port ${port} (${exited ?? `no connection within ${timeoutMs} ms`}): ${stderr.trim()}`);
      }
      // Polling the port: mosquitto gives no readiness signal on a pipe.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    async close() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await start();
    },
  };
}
