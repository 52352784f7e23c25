import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownCodeBlocks, runTypeScript, startAedes, waitFor, type AedesHandle } from "@a2a/testing";

/** The first run of a new user: the READMEs' snippets, run as they stand. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;
let aedes: AedesHandle;

beforeAll(async () => {
  // Inside the repository, so the snippets' "@a2a/*" imports resolve to the workspace packages.
  dir = await mkdtemp(join(root, ".tmp-readme-"));
  aedes = await startAedes();
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  await aedes?.close();
});

describe("the READMEs on a first run", () => {
  it("the root README's example prints the echo and exits on its own", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const file = join(dir, "what-it-looks-like.ts");
    await writeFile(file, markdownCodeBlocks(readme, "What it looks like", "ts")[0]!);
    const result = await runTypeScript(file, { cwd: root, timeoutMs: 20_000 });
    expect(result.stderr).toBe("");
    expect(result).toMatchObject({ code: 0, stdout: "Echo: hello\n" });
  });

  it("the agent quick start says when it is serving, and stops on Ctrl-C", async () => {
    const readme = await readFile(join(root, "packages/agent/README.md"), "utf8");
    const file = join(dir, "agent-quick-start.ts");
    await writeFile(file, markdownCodeBlocks(readme, "Quick start", "ts")[0]!.replaceAll("mqtt://localhost:1883", aedes.url));
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", file], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
    try {
      await waitFor(() => /my-org\/agent-001 is serving/.test(stdout), { timeoutMs: 20_000, message: `the "serving" line (stdout: ${stdout}; stderr: ${stderr})` });
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("the CLI README talks to the agent that the agent quick start starts", async () => {
    const agentReadme = await readFile(join(root, "packages/agent/README.md"), "utf8");
    const quickStart = markdownCodeBlocks(agentReadme, "Quick start", "ts")[0]!;
    const id = `${/orgId: "([^"]+)"/.exec(quickStart)?.[1]}/${/agentId: "([^"]+)"/.exec(quickStart)?.[1]}`;
    expect(id).toBe("my-org/agent-001");
    const session = markdownCodeBlocks(await readFile(join(root, "packages/cli/README.md"), "utf8"), "A first session", "sh")[0]!;
    expect(session).toContain(`quick start of @a2a/agent (${id})`);
    const calls = session.split("\n").filter((line) => /^a2a (send|stream|task)/.test(line));
    expect(calls.length).toBeGreaterThan(2);
    for (const line of calls) expect(line).toContain(id);
  });
});
