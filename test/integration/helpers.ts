import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { userInfo } from "node:os";
import { join } from "node:path";
import { createUser, MqttTransport, mosquittoPath, toMosquittoConfig, waitFor, type BrokerUser, type MqttTransportOptions, type Transport } from "./deps.js";

export const PASSWORDS = {
  "acme/echo": "echo-secret",
  "acme/other": "other-secret",
  alice: "alice-secret",
} as const;

/** Two agents and a client; cheap hash parameters keep the suites fast. */
export function fixtureUsers(): Promise<BrokerUser[]> {
  const fast = { scrypt: { cost: 1024 }, mosquitto: { iterations: 1_000 } };
  return Promise.all([
    createUser({ username: "acme/echo", role: "agent", password: PASSWORDS["acme/echo"], ...fast }),
    createUser({ username: "acme/other", role: "agent", password: PASSWORDS["acme/other"], ...fast }),
    createUser({ username: "alice", role: "client", password: PASSWORDS.alice, ...fast }),
  ]);
}

const open: Transport[] = [];

/** A connected MqttTransport with quick reconnects, closed by `closeTransports()`. */
export async function connectedTransport(options: MqttTransportOptions): Promise<MqttTransport> {
  const transport = new MqttTransport({ reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, connectTimeoutMs: 5_000, ...options });
  open.push(transport);
  await transport.connect();
  return transport;
}

export async function closeTransports(): Promise<void> {
  await Promise.all(open.splice(0).map((t) => t.close()));
}

export const text = (payload: Uint8Array) => new TextDecoder().decode(payload);

/**
 * Median of 21 sequential QoS 1 request/reply round trips, in ms. The replier
 * acknowledges the request and publishes the reply back to back: the pattern Nagle's
 * algorithm delays by ~40 ms when a socket lacks TCP_NODELAY.
 */
export async function medianRoundTripMs(requester: Transport, replier: Transport, topics: { request: string; reply: string }): Promise<number> {
  const server = await replier.subscribe(topics.request, () => void replier.publish(topics.reply, "pong", { qos: 1 }));
  let resolveNext: (() => void) | undefined;
  const client = await requester.subscribe(topics.reply, () => resolveNext?.());
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const got = new Promise<void>((resolve) => (resolveNext = resolve));
    const start = performance.now();
    await requester.publish(topics.request, "ping", { qos: 1 });
    await waitFor(got, { message: "the reply" });
    times.push(performance.now() - start);
  }
  await Promise.all([server.unsubscribe(), client.unsubscribe()]);
  return times.sort((x, y) => x - y)[10]!;
}

export interface RunningMosquitto {
  /** What mosquitto logged so far (for failure messages). */
  log(): string;
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
 * Writes the export of `toMosquittoConfig(options)` into `dir` and runs `mosquitto -c`
 * on it, resolving once every listener accepts TCP connections.
 */
export async function runExportedMosquitto(dir: string, options: Parameters<typeof toMosquittoConfig>[0]): Promise<RunningMosquitto> {
  const binary = mosquittoPath();
  if (!binary) throw new Error("mosquitto was not found; install the `mosquitto` package.");
  const files = { passwordFile: join(dir, "passwd"), aclFile: join(dir, "acl") };
  const exported = toMosquittoConfig({ ...options, files });
  writeFileSync(files.passwordFile, exported.passwordFile);
  writeFileSync(files.aclFile, exported.aclFile);
  const confPath = join(dir, "mosquitto.conf");
  // Started as root, mosquitto would switch to the user "mosquitto", which cannot read
  // the private temp dir: stay the user that started it.
  writeFileSync(confPath, `${exported.conf}\nlog_dest stderr\nuser ${userInfo().username}\n`);

  let stderr = "";
  let exited: string | undefined;
  const child: ChildProcess = spawn(binary, ["-c", confPath], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  child.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  const ports = [options.port ?? 1883, ...(options.wsPort === undefined ? [] : [options.wsPort])];
  try {
    // mosquitto gives no readiness signal on a pipe: wait until every listener accepts
    // (or the process ended, e.g. on a config error).
    await waitFor(async () => exited !== undefined || (await Promise.all(ports.map(accepts))).every(Boolean), {
      timeoutMs: 10_000,
      intervalMs: 20,
      message: `mosquitto to listen on ports ${ports.join(", ")}`,
    });
    if (exited) throw new Error(exited);
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`mosquitto did not start (${(error as Error).message}): ${stderr.trim()}`, { cause: error });
  }
  return {
    log: () => stderr,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await done;
    },
  };
}
