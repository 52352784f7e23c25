import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { markdownCodeBlocks, runTypeScript, startAedes, type AedesHandle } from "@a2a/testing";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
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

it("the README quick start runs and prints what the README says", async () => {
  const readme = await readFile(join(packageDir, "README.md"), "utf8");
  const file = join(dir, "quick-start.ts");
  await writeFile(file, markdownCodeBlocks(readme, "Quick start", "ts")[0]!);
  const result = await runTypeScript(file, { cwd: packageDir, env: { MQTT_URL: aedes.url } });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  expect(result.stdout.trim()).toBe(markdownCodeBlocks(readme, "Quick start", "text")[0]!.trim());
});
