import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownCodeBlocks, requireMosquitto, runTypeScript, startMosquitto, type MosquittoHandle } from "@a2a/testing";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");

describe.runIf(requireMosquitto())("README's EMQX profile example, on mosquitto", () => {
  let broker: MosquittoHandle;
  let dir: string;

  beforeAll(async () => {
    broker = await startMosquitto();
    dir = await mkdtemp(join(packageDir, ".emqx-example-"));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await broker?.close();
  });

  it("runs with tsx and prints what the README says", async () => {
    const readme = await readFile(join(packageDir, "README.md"), "utf8");
    const file = join(dir, "emqx-profile.ts");
    await writeFile(file, markdownCodeBlocks(readme, "The EMQX A2A profile", "ts")[0]!);
    const result = await runTypeScript(file, { cwd: packageDir, env: { MQTT_URL: broker.url } });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(markdownCodeBlocks(readme, "The EMQX A2A profile", "text")[0]!.trim());
  });
});
