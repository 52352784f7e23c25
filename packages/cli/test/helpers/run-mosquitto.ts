import { spawn } from "node:child_process";
import { connect } from "node:net";
import { mosquittoPath, waitFor } from "@a2a/testing";

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

/** Runs `mosquitto -c configPath` until `close()`, once `port` accepts connections. */
export async function runMosquitto(configPath: string, port: number): Promise<{ log(): string; close(): Promise<void> }> {
  const binary = mosquittoPath();
  if (!binary) throw new Error("mosquitto was not found; install the `mosquitto` package.");
  let log = "";
  let exited = "";
  const child = spawn(binary, ["-c", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.once("exit", (code, signal) => (exited = `mosquitto exited with ${signal ?? code}: ${log}`));
  try {
    // mosquitto gives no readiness signal on a pipe: poll the port (or see it exit).
    await waitFor(async () => {
      if (exited) throw new Error(exited);
      return canConnect(port);
    }, { timeoutMs: 10_000, message: `mosquitto listening on ${port}`, intervalMs: 20 });
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(exited || (error as Error).message);
  }
  return {
    log: () => log,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await done;
    },
  };
}
