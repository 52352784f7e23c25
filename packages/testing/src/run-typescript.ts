import { spawn } from "node:child_process";

export interface RunTypeScriptOptions {
  /** The working directory; the file's `@a2a/*` imports resolve from here. @default process.cwd() */
  cwd?: string;
  /** Variables added to the environment. @default none */
  env?: Record<string, string>;
  /** The process is killed after this long. @default 25000 */
  timeoutMs?: number;
}

export interface RunTypeScriptResult {
  /** The exit code; null when it was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript file the way a user runs an example, `node --import tsx file`, with
 * `@a2a/*` imports resolved to the packages' sources (the "@a2a/source" condition), so a
 * README example is tried without a build.
 */
export function runTypeScript(file: string, options: RunTypeScriptOptions = {}): Promise<RunTypeScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=@a2a/source", "--import", "tsx", file], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 25_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The fenced code blocks of `language` in the Markdown section under `## heading`, in
 * order, to test the examples a README shows.
 * @throws when there is no such block, naming the heading and the language.
 */
export function markdownCodeBlocks(markdown: string, heading: string, language: string): string[] {
  const section = markdown.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
  const blocks = [...section.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1] ?? "");
  if (blocks.length === 0) throw new Error(`The Markdown has no \`\`\`${language} block under "## ${heading}".`);
  return blocks;
}
