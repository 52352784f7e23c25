import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, test } from "vitest";

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(pkgDir, "../..");

test("the README's example is examples/quick-start.ts and runs", async () => {
  const readme = await readFile(join(pkgDir, "README.md"), "utf8");
  const example = await readFile(join(pkgDir, "examples/quick-start.ts"), "utf8");
  expect(readme).toContain("```ts\n" + example + "```");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--conditions=@a2a/source", "--import", "tsx", join(pkgDir, "examples/quick-start.ts")],
    { cwd: repoRoot },
  );
  expect(JSON.parse(stdout)).toMatchObject({ jsonrpc: "2.0", id: 1, result: { task: { status: { state: "TASK_STATE_COMPLETED" } } } });
}, 60_000);
