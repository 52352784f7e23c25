import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "./free-port.js";
import { waitFor } from "./wait-for.js";

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

/**
 * The lines every config a test runs needs, to append to it: log to stderr (which
 * `log()` returns) and stay the user that started the test (started as root, mosquitto
 * switches to the user `mosquitto`, who cannot read the test's private temp dir).
 */
export function mosquittoTestConfig(): string {
  return `log_dest stderr\nuser ${userInfo().username}\n`;
}

export interface SpawnMosquittoOptions {
  /** The config to run, `mosquitto -c configFile`, as it is (see `mosquittoTestConfig()`). */
  configFile: string;
  /** The ports its listeners are on; it has started once every one accepts TCP connections. */
  ports: readonly number[];
  /** How long to wait for the listeners. @default 10000 */
  startTimeoutMs?: number;
}

/** A running mosquitto process. */
export interface MosquittoProcess {
  /** The last 8,000 characters mosquitto wrote to stderr, for failure messages. */
  log(): string;
  /** Stops the process (SIGTERM, which saves persistence; SIGKILL after 5 s). */
  close(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
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
 * Runs mosquitto on a config file the test wrote and resolves once every port in
 * `ports` accepts TCP connections.
 * @throws when mosquitto is missing, exits (e.g. on a config error) or does not listen
 * in time; the error includes what it wrote to stderr.
 */
export async function spawnMosquitto(options: SpawnMosquittoOptions): Promise<MosquittoProcess> {
  const binary = mosquittoPath();
  if (!binary) throw new Error("mosquitto was not found (looked at /usr/sbin/mosquitto and PATH); install the `mosquitto` package.");
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  let stderr = "";
  let exited: string | undefined;
  const child = spawn(binary, ["-c", options.configFile], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  child.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  try {
    // mosquitto gives no readiness signal on a pipe: wait until every listener accepts
    // (or the process has ended).
    await waitFor(async () => exited !== undefined || (await Promise.all(options.ports.map(accepts))).every(Boolean), {
      timeoutMs,
      intervalMs: 20,
      message: `mosquitto to listen on port ${options.ports.join(", ")}`,
    });
    if (exited) throw new Error(exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`mosquitto did not start (${(error as Error).message}): ${stderr.trim()}`, { cause: error });
  }
  return {
    log: () => stderr,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const ended = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await ended;
      clearTimeout(timer);
    },
  };
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

/**
 * Spawns mosquitto with a generated config (anonymous access, TCP_NODELAY, optional
 * persistence) and resolves once it accepts TCP connections.
 * @throws when mosquitto is missing or does not come up in time (its stderr included).
 */
export async function startMosquitto(options: StartMosquittoOptions = {}): Promise<MosquittoHandle> {
  if (!mosquittoPath()) throw new Error("mosquitto was not found (looked at /usr/sbin/mosquitto and PATH); install the `mosquitto` package.");
  const port = options.port ?? (await freePort());
  const dir = await mkdtemp(join(tmpdir(), "a2a-mosquitto-"));
  const configFile = join(dir, "mosquitto.conf");
  const lines = [`listener ${port} 127.0.0.1`, "allow_anonymous true", "set_tcp_nodelay true", "log_type error", "log_type warning"];
  if (options.persistence) lines.push("persistence true", `persistence_location ${dir}/`, "persistence_file mosquitto.db");
  if (options.extraConfig) lines.push(options.extraConfig);
  await writeFile(configFile, `${lines.join("\n")}\n${mosquittoTestConfig()}`);

  const start = () => spawnMosquitto({ configFile, ports: [port], startTimeoutMs: options.startTimeoutMs });
  let running: MosquittoProcess | undefined = await start();
  const stop = async () => {
    const stopping = running;
    running = undefined;
    await stopping?.close();
  };
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
      running = await start();
    },
  };
}
