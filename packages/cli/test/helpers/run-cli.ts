import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdir, rmdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { waitFor } from "@a2a/testing";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
/** The bin as installed: dist/cli.js, run by node. */
export const CLI = join(root, "packages/cli/dist/cli.js");

/**
 * Builds the CLI and the packages it needs (`tsc -b`), once at a time: test files run
 * in parallel processes, and two builds writing the same outputs would race.
 */
export async function buildCli(): Promise<void> {
  const lock = join(root, "packages/cli/.build-lock");
  // A lock left by a test run that was killed mid-build would block every later run.
  const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
  if (age > 180_000) await rmdir(lock).catch(() => undefined);
  await waitFor(() => mkdir(lock).then(() => true), { timeoutMs: 120_000, message: "the build lock", intervalMs: 50 });
  try {
    await promisify(execFile)(join(root, "node_modules/.bin/tsc"), ["-b", "packages/cli"], { cwd: root });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`Building the CLI failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  } finally {
    await rmdir(lock);
  }
}

/**
 * The environment of the child: no A2A_* settings of the developer's shell, and none of
 * the npm_* variables of the pnpm that runs the tests (under `pnpm exec` the CLI's hints
 * would say `pnpm exec a2a`).
 */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("A2A_") && !/^npm_/i.test(key)));
  return { ...clean, ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `a2a ...args` to the end. */
export function runCli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? root, env: childEnv(options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A long-running `a2a` process (broker, --watch) whose output is read as it comes. */
export interface LiveCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout matches `pattern`; returns the match. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const live = new Set<ChildProcess>();

export function startCli(args: string[], options: { env?: Record<string, string> } = {}): LiveCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: root, env: childEnv(options.env ?? {}), stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolvePromise) => child.once("exit", (code) => resolvePromise(code)));
  const waitOn = (read: () => string, what: string) => (pattern: RegExp, timeoutMs = 10_000) =>
    waitFor(() => read().match(pattern), { timeoutMs, message: `${what} to match ${pattern} (stdout: ${out}; stderr: ${err})` });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForStdout: waitOn(() => out, "stdout"),
    waitForStderr: waitOn(() => err, "stderr"),
    async stop(signal = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const code = await exited;
      live.delete(child);
      return code;
    },
  };
}

/** Kills what a failed test left running. */
export function killAll(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}
