import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownCodeBlocks, requireOpenssl, runTypeScript } from "@a2a/testing";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The example imports @a2a/broker and @a2a/transport: both resolve from inside the broker package.
const RUN_IN = join(ROOT, "packages/broker");

describe.runIf(requireOpenssl())("transport README, TLS and WebSockets, tried as written", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(RUN_IN, ".tmp-readme-tls-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("makes the certificates with the sh block and prints the two greetings of the ts block", async () => {
    const readme = await readFile(join(ROOT, "packages/transport/README.md"), "utf8");
    const [sh] = markdownCodeBlocks(readme, "TLS and WebSockets", "sh");
    const [ts] = markdownCodeBlocks(readme, "TLS and WebSockets", "ts");
    execFileSync("sh", ["-e", "-c", sh!], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    await writeFile(join(dir, "tls-ws.ts"), ts!);
    const result = await runTypeScript("tls-ws.ts", { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(["hello over mqtts:", "hello over wss:"]);
  });
});
