import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:net";
import { mosquittoPath } from "@a2a/testing";

export interface RunningMosquitto {
  /** Everything mosquitto wrote to stderr so far (its log). */
  log(): string;
  close(): Promise<void>;
}

function canConnect(port: number): Promise<boolean> {
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
 * Runs mosquitto with a config file as written by the test (the exported config plus
 * `log_dest stderr`), resolving once `port` accepts TCP connections.
 */
export async function runMosquitto(configPath: string, port: number, timeoutMs = 10_000): Promise<RunningMosquitto> {
  const binary = mosquittoPath();
  if (!binary) throw new Error("mosquitto was not found; install the `mosquitto` package.");
  let stderr = "";
  let exited: string | undefined;
  const child: ChildProcess = spawn(binary, ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once("exit", (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`mosquitto did not start on port ${port} (${exited ?? "timeout"}): ${stderr.trim()}`);
    }
    // mosquitto gives no readiness signal on a pipe: poll the port.
    await new Promise((resolve) => setTimeout(resolve, 20));
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
