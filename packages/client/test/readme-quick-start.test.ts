import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownCodeBlocks, runTypeScript, startAedes, type AedesHandle } from "@a2a/testing";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

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
    await writeFile(file, markdownCodeBlocks(readme, "Quick start", "ts")[0]!);
    // Inside the package, so "@a2a/client" resolves to itself and "@a2a/agent" to the
    // workspace package.
    const result = await runTypeScript(file, { cwd: packageDir, env: { MQTT_URL: aedes.url } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(markdownCodeBlocks(readme, "Quick start", "text")[0]!.trim());
  });
});
