import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@a2a/testing";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// A process whose broker is unreachable must be able to exit once it has closed its
// transport: no reconnect timer may survive a failed connect().
describe("MqttTransport after a failed connect", () => {
  const dir = mkdtempSync(join(packageDir, ".tmp-exit-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("leaves nothing that keeps the process alive", async () => {
    const port = await freePort();
    const script = join(dir, "failed-connect.ts");
    writeFileSync(
      script,
      [
        `import { MqttTransport } from "@a2a/transport/mqtt";`,
        `const transport = new MqttTransport({ url: "mqtt://127.0.0.1:${port}" });`,
        `await transport.connect().then(() => console.log("connected"), () => console.log("refused"));`,
        `await transport.close();`,
      ].join("\n"),
    );
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", script], { cwd: packageDir });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 15_000);
      child.on("exit", (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(stdout.trim()).toBe("refused");
    expect(code, "the process did not exit by itself within 15 s").toBe(0);
  });
});
