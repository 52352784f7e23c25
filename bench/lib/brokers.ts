import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type Layout } from "./server.js";

export type BrokerKind = "aedes" | "mosquitto";

export interface Broker {
  readonly kind: BrokerKind;
  readonly url: string;
  /** MQTT protocol version clients use with this broker: 4 = 3.1.1, 5 = MQTT 5. */
  readonly protocolVersion: 4 | 5;
  readonly pid: number;
  stop(): Promise<void>;
}

export const MOSQUITTO_BIN = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

export function mosquittoAvailable(): boolean {
  return existsSync(MOSQUITTO_BIN);
}

/** aedes runs in `layout` like the servers; mosquitto is always a process of its own. */
export async function startBroker(kind: BrokerKind, layout: Layout): Promise<Broker> {
  return kind === "aedes" ? startAedes(layout) : startMosquitto();
}

async function startAedes(layout: Layout): Promise<Broker> {
  const server = await startServer("aedes-broker", {}, layout);
  return { kind: "aedes", url: String(server.info.url), protocolVersion: 4, pid: server.pid, stop: () => server.stop() };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts TCP connections on `port`. */
async function waitForPort(port: number, proc: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with code ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${timeoutMs} ms`);
    // Polling a port has no event to wait for; retry after a short pause.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function startMosquitto(): Promise<Broker> {
  if (!mosquittoAvailable()) throw new Error(`mosquitto not found at ${MOSQUITTO_BIN} (set MOSQUITTO_BIN)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "a2a-bench-mosquitto-"));
  const config = join(dir, "mosquitto.conf");
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "set_tcp_nodelay true",
      "persistence false",
      // The scale workloads keep 10,000 QoS 1 messages in flight on one connection.
      "max_inflight_messages 0",
      "max_queued_messages 0",
      "log_type error",
      "",
    ].join("\n"),
  );
  const proc = spawn(MOSQUITTO_BIN, ["-c", config], { stdio: ["ignore", "ignore", "inherit"] });
  // A harness that dies without stop() (an uncaught error, a closed stdout pipe) must not
  // leave a broker behind to share the CPU with the next run.
  const killOnExit = (): void => {
    proc.kill("SIGKILL");
  };
  process.once("exit", killOnExit);
  try {
    await waitForPort(port, proc, 10_000);
  } catch (error) {
    process.off("exit", killOnExit);
    proc.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    kind: "mosquitto",
    url: `mqtt://127.0.0.1:${port}`,
    protocolVersion: 5,
    pid: proc.pid ?? -1,
    async stop() {
      process.off("exit", killOnExit);
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once("exit", resolve));
        proc.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
