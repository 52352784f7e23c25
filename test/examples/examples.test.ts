import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packAll } from "../../scripts/pack-all.js";

/**
 * The projects in examples/, run as a user outside this repository would: the packed
 * tarballs installed with plain npm into one folder under the system's temp directory
 * (registry packages such as zod and mqtt from the registry), each example copied next
 * to them and run with `npm test`, which fails when its outcome is wrong.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const examples = (await readdir(join(root, "examples"), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
let work: string;
let install: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function npm(args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolveRun) => {
    // No npm_* variables of the pnpm that runs the tests: npm reads them as its own config.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !key.startsWith("A2A_")));
    execFile("npm", args, { cwd, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolveRun({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "a2a-examples-"));
  const packed = await packAll(join(work, "packs"));
  install = join(work, "project");
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  await cp(join(root, "examples"), install, { recursive: true });
  await writeFile(
    join(install, "package.json"),
    JSON.stringify({ name: "a2a-examples", private: true, type: "module", dependencies, allowScripts: { "classic-level": false } }, null, 2),
  );
  const installed = await npm(["install", "--no-audit", "--no-fund", "--loglevel=warn"], install, 240_000);
  expect(installed.code, `npm install failed:\n${installed.stdout}\n${installed.stderr}`).toBe(0);
  // No install script left for the user to review (classic-level's is declined in allowScripts).
  expect(installed.stderr).not.toMatch(/install-scripts|allowScripts/);
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("examples/, installed from the packed tarballs outside the workspace", () => {
  it("are the four kinds the README lists", () => {
    expect(examples.sort()).toEqual(["agent-and-client", "cli", "in-memory-unit-test", "schema-validator"]);
  });

  it.each(examples)("%s passes its own check", async (example) => {
    const result = await npm(["test", "--silent"], join(install, example), 60_000);
    expect(result.code, `${example}:\n${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it("a CommonJS require() fails as the READMEs say (ESM only), and import() works", async () => {
    const script = `try { require("@a2a/schema"); console.log("required") } catch (e) { console.log(e.code) }
import("@a2a/schema").then((s) => console.log(typeof s.parseWire));`;
    await writeFile(join(install, "cjs-check.cjs"), script);
    const result = await new Promise<Run>((resolveRun) =>
      execFile(process.execPath, ["cjs-check.cjs"], { cwd: install }, (error, stdout, stderr) => resolveRun({ code: error ? 1 : 0, stdout, stderr })),
    );
    expect(result.stdout).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED\nfunction\n");
  });
});
