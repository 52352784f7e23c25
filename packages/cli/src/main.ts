import { parseArgs } from "node:util";
import type { CliIo, Command, OptionValues } from "./command.js";
import { aclCommand } from "./commands/acl.js";
import { agentsCommand } from "./commands/agents.js";
import { brokerCommand } from "./commands/broker.js";
import { sendCommand, streamCommand } from "./commands/send.js";
import { uiCommand } from "./commands/ui.js";
import { taskCancelCommand, taskGetCommand, taskListCommand, taskSubscribeCommand } from "./commands/task.js";
import { usersAddCommand, usersListCommand, usersRemoveCommand } from "./commands/users.js";
import { CliError, EXIT, UsageError } from "./errors.js";
import { describeFailure } from "./failure.js";
import { DEFAULT_TIMEOUT_MS, GLOBAL_HELP, GLOBAL_OPTIONS, GLOBAL_VALUE_OPTIONS, resolveGlobalOptions } from "./global-options.js";

/** Commands, and groups of subcommands (`a2a task get`). */
const COMMANDS: Record<string, Command | Record<string, Command>> = {
  broker: brokerCommand,
  users: { add: usersAddCommand, list: usersListCommand, remove: usersRemoveCommand },
  agents: agentsCommand,
  send: sendCommand,
  stream: streamCommand,
  task: { get: taskGetCommand, cancel: taskCancelCommand, list: taskListCommand, subscribe: taskSubscribeCommand },
  acl: aclCommand,
  ui: uiCommand,
};

const isCommand = (entry: Command | Record<string, Command>): entry is Command => typeof entry.run === "function";

function allCommands(): Command[] {
  return Object.values(COMMANDS).flatMap((entry) => (isCommand(entry) ? [entry] : Object.values(entry)));
}

export const MAIN_HELP = `a2a: talk to A2A agents over MQTT.

Usage: a2a <command> [arguments] [options]

Commands:
${allCommands()
  .map((c) => `  ${c.name.padEnd(16)}${c.summary}`)
  .join("\n")}

${GLOBAL_HELP}

Examples:
  a2a broker                                  # a broker on mqtt://127.0.0.1:1883
  a2a agents                                  # who is there, online or not
  a2a send my-org/echo --text "hello"         # call an agent, print the answer
  a2a stream my-org/echo --text "hello"       # print the task's events as they come
  a2a task list my-org/echo --status working
  A2A_BROKER_URL=mqtts://broker.example.com:8883 a2a agents -u alice -p "$PW"

Exit codes: 0 done, 1 failed (agent error, failed task), 2 bad usage, 3 broker
unreachable or login refused, 4 unknown or offline agent, 5 timeout, 130 interrupted.

Run \`a2a <command> --help\` for a command's options and examples.
`;

/** The index of the command name: the first argument that is not an option or its value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") return -1;
    if (!arg.startsWith("-")) return i;
    if (GLOBAL_VALUE_OPTIONS.has(arg)) i++;
  }
  return -1;
}

function groupHelp(name: string, group: Record<string, Command>): string {
  const lines = Object.values(group).map((c) => `  a2a ${c.name.padEnd(16)}${c.summary}`);
  return `Usage: a2a ${name} <${Object.keys(group).join("|")}> ...\n\n${lines.join("\n")}\n\nRun \`a2a ${name} <subcommand> --help\` for its options and examples.\n`;
}

/** Finds the command of `argv` and the arguments left for it; prints help where asked. */
function select(argv: readonly string[], io: CliIo): { command: Command; args: string[] } | number {
  const at = commandIndex(argv);
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  if (at < 0) {
    if (wantsHelp || argv.length === 0) {
      io.stdout.write(MAIN_HELP);
      return argv.length === 0 ? EXIT.USAGE : EXIT.OK;
    }
    throw new UsageError("Give a command, e.g. `a2a agents`.");
  }
  let name = argv[at] ?? "";
  let rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (name === "help") {
    const topic = argv.slice(at + 1).filter((a) => !a.startsWith("-"));
    return select([...topic, "--help"], io);
  }
  const entry = COMMANDS[name];
  if (entry === undefined) throw new UsageError(`Unknown command ${JSON.stringify(name)}; the commands are ${Object.keys(COMMANDS).join(", ")}.`);
  if (isCommand(entry)) return { command: entry, args: rest };

  const sub = argv[at + 1];
  const command = sub === undefined ? undefined : entry[sub];
  if (command === undefined) {
    if (sub === undefined || sub.startsWith("-")) {
      io.stdout.write(groupHelp(name, entry));
      return wantsHelp ? EXIT.OK : EXIT.USAGE;
    }
    throw new UsageError(`Unknown subcommand ${JSON.stringify(`${name} ${sub}`)}; use one of ${Object.keys(entry).join(", ")}.`, name);
  }
  name = `${name} ${sub}`;
  rest = [...argv.slice(0, at), ...argv.slice(at + 2)];
  return { command, args: rest };
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
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  try {
    const selected = select(argv, io);
    if (typeof selected === "number") return selected;
    const { command, args } = selected;
    let values: OptionValues;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true }));
    } catch (error) {
      throw new UsageError(`${command.name}: ${(error as Error).message}`, command.name);
    }
    if (values.help === true) {
      io.stdout.write(command.help);
      return EXIT.OK;
    }
    const global = resolveGlobalOptions(values, io, command.name);
    timeoutMs = global.timeoutMs;
    return await command.run({ positionals, values, global, io, signal, name: command.name });
  } catch (error) {
    const failure = error instanceof CliError ? error : describeFailure(error, { timeoutMs });
    io.stderr.write(`a2a: ${failure.message}\n`);
    return failure.exitCode;
  }
}
