import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAedes, type AedesHandle } from "@a2a/testing";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The fenced block of `language` right after the heading `heading` in the README. */
function codeBlock(markdown: string, heading: string, language: string): string {
  const section = markdown.split(`\n## ${heading}\n`)[1];
  const match = section?.match(new RegExp("```" + language + "\\n([\\s\\S]*?)```"));
  if (!match?.[1]) throw new Error(`README has no \`\`\`${language} block under "## ${heading}"`);
  return match[1];
}

function run(file: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // Inside the package, so "@a2a/client" resolves to itself and "@a2a/agent" to the
    // workspace package, from their TypeScript sources.
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", file], {
      cwd: packageDir,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
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

describe("README quick start, tried as a new user would", () => {
  let aedes: AedesHandle;
  let dir: string;

  beforeAll(async () => {
    aedes = await startAedes();
    dir = await mkdtemp(join(packageDir, ".quick-start-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await aedes?.close();
  });

  it("runs with tsx against a broker and prints what the README says", async () => {
    const readme = await readFile(join(packageDir, "README.md"), "utf8");
    const file = join(dir, "quick-start.ts");
    await writeFile(file, codeBlock(readme, "Quick start", "ts"));
    const result = await run(file, { MQTT_URL: aedes.url });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(codeBlock(readme, "Quick start", "text").trim());
  });
});
