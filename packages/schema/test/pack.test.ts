// The published tarball works on its own: installed with plain npm in an empty
// folder (zod from the registry), it validates cards from plain Node.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

const run = promisify(execFile);
const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(pkgDir, "../..");
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "a2a-schema-pack-"));
}, 10_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const check = `
const s = await import("@a2a/schema");
const card = {
  name: "Echo", description: "Echoes", version: "1.0.0", capabilities: { streaming: true },
  supportedInterfaces: [{ url: "mqtt://acme/echo", protocolBinding: "urn:a2a-mqtt:binding:mqtt:v1", protocolVersion: "1.0" }],
  defaultInputModes: ["text/plain"], defaultOutputModes: ["text/plain"],
  skills: [{ id: "echo", name: "Echo", description: "Echoes text", tags: ["echo"] }],
};
const ok = s.parseWire(s.AgentCardSchema, card);
const bad = s.parseWire(s.AgentCardSchema, { ...card, skills: [] });
const seed = s.parseWire(s.CompactAgentCardSchema, { name: "Supply Chain Agent", skills: [{ id: "x", name: "X" }] });
console.log(JSON.stringify({ ok: ok.ok, bad: bad.ok ? null : bad.error.message, seed: seed.ok, keys: Object.keys(s).length }));
`;

test("npm pack installs alone and validates a card with plain node", async () => {
  await run(join(repoRoot, "node_modules/.bin/tsc"), ["-b", pkgDir], { cwd: repoRoot });
  const { stdout: packOut } = await run("npm", ["pack", "--json", "--pack-destination", work], { cwd: pkgDir });
  const [info] = JSON.parse(packOut) as [{ filename: string; files: { path: string }[] }];
  const paths = info.files.map((f) => f.path);
  expect(paths).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/index.js", "dist/index.d.ts"]));
  expect(paths.filter((p) => p.startsWith("test/") || p.endsWith(".tsbuildinfo"))).toEqual([]);

  const app = join(work, "app");
  await run("mkdir", [app]);
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  const tarball = join(work, info.filename.split("/").at(-1)!);
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: app, timeout: 100_000 });
  expect(await readdir(join(app, "node_modules"))).toEqual(expect.arrayContaining(["@a2a", "zod"]));

  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", check], { cwd: app });
  const out = JSON.parse(stdout) as { ok: boolean; bad: string; seed: boolean; keys: number };
  expect(out).toMatchObject({ ok: true, bad: "skills: must contain at least 1 element", seed: true });
  expect(out.keys).toBeGreaterThan(50);
}, 120_000);
