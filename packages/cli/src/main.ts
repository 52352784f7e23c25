import { CommanderError } from "commander";
import type { CliIo } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { CliError, EXIT, UsageError, type ExitCode } from "./errors.js";
import { describeFailure } from "./failure.js";
import { DEFAULT_TIMEOUT_MS, resolveGlobalOptions } from "./global-options.js";
import { setInvocation } from "./invocation.js";
import { buildProgram } from "./program.js";

const silent: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };

/**
 * The exit code for commander's own outcomes: help asked for (`--help`, `a2a help X`) and
 * the version are done (commander's exit code 0); the rest, such as a group run without
 * its subcommand, is bad usage.
 */
function commanderExit(error: CommanderError): ExitCode {
  return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
}

/** commander's `error: unknown option '--skil'\n(Did you mean --skill?)` in our words. */
function usageMessage(error: CommanderError): string {
  const [first = "", ...rest] = error.message.replace(/^error: /, "").split("\n");
  const suggestion = rest.join(" ").replace(/^\((.*)\)$/, "$1");
  return `${first.charAt(0).toUpperCase()}${first.slice(1)}${first.endsWith(".") ? "" : "."}${suggestion ? ` ${suggestion}` : ""}`;
}

/**
 * Runs the `a2a` command line `argv` (without `node` and the script) and resolves with
 * the exit code. Results go to `io.stdout`, messages to `io.stderr`; `signal` (SIGINT
 * or SIGTERM) ends long-running commands cleanly.
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  setInvocation(io.env);
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let exitCode: number = EXIT.OK;
  let usageAt = "";
  const program = buildProgram({
    commands: COMMANDS,
    io,
    onUsageError: (path) => (usageAt = path),
    async run(command, positionals, values) {
      const global = resolveGlobalOptions(values, io, command.name);
      timeoutMs = global.timeoutMs;
      exitCode = await command.run({ positionals, values, global, io, signal, name: command.name, commands: COMMANDS });
    },
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const code = commanderExit(error);
      // Help shown because a group was run without a subcommand is already printed.
      if (code !== EXIT.OK && error.code !== "commander.help") {
        io.stderr.write(`a2a: ${new UsageError(usageMessage(error), usageAt || undefined).message}\n`);
      }
      return code;
    }
    const failure = error instanceof CliError ? error : describeFailure(error, { timeoutMs });
    io.stderr.write(`a2a: ${failure.message}\n`);
    return failure.exitCode;
  }
}

/** The text of `a2a --help`. */
export const MAIN_HELP: string = buildProgram({ commands: COMMANDS, io: silent, onUsageError: () => {}, run: async () => {} }).helpInformation();
