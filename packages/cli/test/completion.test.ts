import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../src/main.js";

/** Runs `a2a` in-process and returns what it printed. */
async function run(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
  return { code, stdout, stderr };
}

/** What bash completes after `line` (the last word is the one being completed). */
async function complete(script: string, line: string): Promise<string[]> {
  const words = line.split(" ");
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _a2a_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await promisify(execFile)("bash", ["-c", program]);
  return stdout.split("\n").filter(Boolean);
}

describe("help", () => {
  it("a2a help <command> shows that command's help and exits 0; a group without its subcommand exits 2", async () => {
    const help = await run(["help", "task"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("task subscribe <org/agent> <task-id>");
    const group = await run(["task"]);
    expect(group.code).toBe(2);
    expect(group.stderr).toMatch(/^Usage: a2a task/);
    const none = await run([]);
    expect(none.code).toBe(2);
  });
});

describe("a2a completion", () => {
  it("prints a bash script that completes commands, subcommands and options", async () => {
    const { code, stdout } = await run(["completion", "bash"]);
    expect(code).toBe(0);
    expect(stdout).toContain("complete -o default -F _a2a_completion a2a");
    expect(await complete(stdout, "a2a ag")).toEqual(["agents"]);
    expect(await complete(stdout, "a2a task ")).toEqual(expect.arrayContaining(["get", "cancel", "list", "subscribe"]));
    expect(await complete(stdout, "a2a --broker mqtt://x task li")).toEqual(["list"]);
    expect(await complete(stdout, "a2a send my-org/agent-001 --sk")).toEqual(["--skill"]);
    expect(await complete(stdout, "a2a task list a/b --page-")).toEqual(["--page-size", "--page-token"]);
  });

  it("prints the same for zsh behind bashcompinit, and names the shells it knows", async () => {
    const zsh = await run(["completion", "zsh"]);
    expect(zsh.stdout).toMatch(/^autoload -U \+X bashcompinit && bashcompinit\n/);
    const fish = await run(["completion", "fish"]);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('unknown shell "fish"; use one of bash, zsh');
  });
});
