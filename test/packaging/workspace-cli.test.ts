import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@a2a/testing";

/** The `a2a` command in a clone of the repository: `pnpm exec a2a` after `pnpm install`. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], cwd = root): Promise<Run> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && !key.startsWith("A2A_")));
  return new Promise((resolveRun) =>
    execFile(file, args, { cwd, env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolveRun({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "a2a-bin-"));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a2a in the workspace", () => {
  it("is built by pnpm install (the root's prepare script) and on PATH as pnpm exec a2a", async () => {
    const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.scripts.prepare).toMatch(/turbo run build/);
    expect(pkg.devDependencies["@a2a/cli"]).toBe("workspace:*");
    const version = await run("pnpm", ["exec", "a2a", "--version"]);
    expect(version).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    // The package's API from the repository root, as the CLI README shows it.
    const imported = await run(process.execPath, ["--input-type=module", "-e", 'const { main } = await import("@a2a/cli"); console.log(typeof main)']);
    expect(imported).toMatchObject({ code: 0, stdout: "function\n" });
  });

  it("prints hints that work as printed: pnpm exec a2a … here", async () => {
    const port = await freePort();
    const unreachable = await run("pnpm", ["exec", "a2a", "agents", "--broker", `mqtt://127.0.0.1:${port}`]);
    expect(unreachable.code).toBe(3);
    const hint = /Start one with `([^`]+)`/.exec(unreachable.stderr)?.[1];
    expect(hint).toBe("pnpm exec a2a broker");
    const [command, ...args] = hint!.split(" ");
    const help = await run(command!, [...args, "--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: a2a broker/);
    const typo = await run("pnpm", ["exec", "a2a", "agnets"]);
    expect(typo.stderr).toContain("Did you mean agents?\nRun `pnpm exec a2a --help` for usage.");
  });

  it("says how to build it when dist/ is missing, instead of a module-not-found stack", async () => {
    await mkdir(join(dir, "bin"));
    await copyFile(join(root, "packages/cli/bin/a2a.js"), join(dir, "bin/a2a.js"));
    const result = await run(process.execPath, [join(dir, "bin/a2a.js"), "--help"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the CLI is not built yet");
    expect(result.stderr).toContain("`pnpm install` or `pnpm build`");
    expect(result.stderr).not.toContain("ERR_MODULE_NOT_FOUND");
  });
});
