import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const APP_DIR = fileURLToPath(new URL("..", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the demo the way `pnpm --filter demo start` does, from sources. */
function demo(args: string[]): Promise<Run> {
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

describe("the demo command", () => {
  it("runs the scenario, exits 0 and prints a JSON summary with --json", async () => {
    const run = await demo(["--json"]);
    const lines = run.stdout.trim().split("\n");
    expect(lines, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toHaveLength(1);
    const summary = JSON.parse(lines[0]!) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[]; error?: string };
    expect(summary.checks.filter((c) => !c.ok)).toEqual([]);
    expect(summary.ok).toBe(true);
    expect(run.code).toBe(0);
    // The readable trace went to stderr, without colours (not a terminal).
    expect(run.stderr).toContain("customer → orchestrator");
    expect(run.stderr).toContain("All 6 checks passed");
    expect(run.stderr).not.toContain("\x1b[");
  });

  it("shows its usage through pnpm as the README says: pnpm --filter demo start -- --help", async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn("pnpm", ["--filter", "demo", "start", "--", "--help"], { cwd: APP_DIR, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Usage: pnpm demo [options]");
  });

  it("exits 2 with the usage for a bad option", async () => {
    const run = await demo(["--timeout", "soon"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--timeout must be a positive number of milliseconds");
    expect(run.stderr).toContain("Usage:");
  });

  it("exits 2 for --ui with a broker a browser cannot reach", async () => {
    const run = await demo(["--ui", "--broker", "mqtt://127.0.0.1:1883"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--ui needs a broker the browser can reach over WebSocket");
  });
});
