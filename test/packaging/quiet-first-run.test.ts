import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

/** The quick start prints what the user needs and nothing the project could have quieted. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

describe("a quiet first run", () => {
  it("npm finds no pnpm-only settings in the project's config to warn about", async () => {
    const { stderr } = await run("npm", ["config", "get", "registry"], { cwd: root, env: cleanEnv() });
    expect(stderr).not.toMatch(/Unknown project config/);
  });

  it("pnpm is told not to print update notices, and installs peers as before", async () => {
    const workspace = await readFile(join(root, "pnpm-workspace.yaml"), "utf8");
    expect(workspace).toMatch(/^updateNotifier: false$/m);
    expect(workspace).toMatch(/^autoInstallPeers: true$/m);
  });

  it("the README installs pnpm without npm's install-script review, and CI runs that very command", async () => {
    const readme = await readFile(join(root, "README.md"), "utf8");
    const commands = [...readme.matchAll(/^npm i -g .*$/gm)].map((m) => m[0]);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    for (const command of commands) expect(command).toMatch(/^npm i -g --ignore-scripts pnpm@\d/);
    const ci = await readFile(join(root, ".ci/run"), "utf8");
    expect(ci).toContain(commands.find((c) => c.endsWith("pnpm test")));
  });

  it("packed tarballs are ignored by git", async () => {
    const { stdout } = await run("git", ["check-ignore", "a2a-schema-0.1.0.tgz", "packages/cli/a2a-cli-0.1.0.tgz", "packs/a2a-agent-0.1.0.tgz"], { cwd: root });
    expect(stdout.trim().split("\n")).toHaveLength(3);
  });
});
