import { spawn } from "node:child_process";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

function demo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", "src/main.ts", ...args], {
      cwd: APP_DIR,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}

describe("the demo's tracing", () => {
  it("prints the spans with --trace and sends them to an OTLP/HTTP collector with --otlp", async () => {
    // A stand-in for a local collector: it accepts OTLP/HTTP JSON on /v1/traces.
    const received: string[] = [];
    const collector = createServer((request, response) => {
      const read = request.method === "POST" && request.url === "/v1/traces" ? body(request).then((text) => void received.push(text)) : Promise.resolve();
      // A body that cannot be read is not recorded, which the assertions below notice.
      void read.catch(() => undefined).then(() => response.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    const { port } = collector.address() as AddressInfo;
    try {
      const run = await demo(["--trace", "--otlp", `http://127.0.0.1:${port}/v1/traces`]);
      expect(run.code, run.stderr).toBe(0);
      const spans = run.stdout.split("\n").filter((l) => l.startsWith("span "));
      // The customer's call is a root; the orchestrator's task and the inventory's request are in its trace.
      const root = spans.find((l) => /\(root\) {2}client\s+acme\/orchestrator\/SendStreamingMessage/.test(l))!;
      expect(root).toBeDefined();
      const traceId = root.split(" ")[1]!;
      const inTrace = spans.filter((l) => l.split(" ")[1] === traceId);
      expect(inTrace.some((l) => /consumer\s+task fulfil-order/.test(l))).toBe(true);
      expect(inTrace.some((l) => /server\s+acme\/inventory\/SendMessage/.test(l))).toBe(true);
      expect(inTrace.some((l) => l.includes("task track-shipment"))).toBe(true);

      const exported = received.join("\n");
      expect(exported).toContain('"name":"task fulfil-order"');
      expect(exported).toContain("acme/logistics/SendStreamingMessage");
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });

  it("refuses --trace with --json (both want stdout)", async () => {
    const run = await demo(["--trace", "--json"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--trace prints spans on stdout");
  });
});
