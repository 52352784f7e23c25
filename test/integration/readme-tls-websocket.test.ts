import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireOpenssl } from "@a2a/testing";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The example imports @a2a/broker and @a2a/transport: both resolve from inside the broker package.
const RUN_IN = join(ROOT, "packages/broker");

/** The fenced blocks of `language` in the README section under `heading`. */
function codeBlocks(markdown: string, heading: string, language: string): string[] {
  const section = markdown.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
  return [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
}

function runTs(file: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", file], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.runIf(requireOpenssl())("transport README, TLS and WebSockets, tried as written", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(RUN_IN, ".tmp-readme-tls-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("makes the certificates with the sh block and prints the two greetings of the ts block", async () => {
    const readme = await readFile(join(ROOT, "packages/transport/README.md"), "utf8");
    const [sh] = codeBlocks(readme, "TLS and WebSockets", "sh");
    const [ts] = codeBlocks(readme, "TLS and WebSockets", "ts");
    expect(sh && ts).toBeTruthy();
    execFileSync("sh", ["-e", "-c", sh!], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    await writeFile(join(dir, "tls-ws.ts"), ts!);
    const result = await runTs("tls-ws.ts", dir);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(["hello over mqtts:", "hello over wss:"]);
  });
});
