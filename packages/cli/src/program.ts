import { readFileSync } from "node:fs";
import { Command as Program, Help, Option } from "commander";
import type { CliIo, Command, OptionSpec, OptionValues } from "./command.js";
import { GLOBAL_OPTIONS } from "./global-options.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const ROOT_HELP_AFTER = `
Environment: A2A_BROKER_URL, A2A_USERNAME, A2A_PASSWORD, A2A_TOPIC_PREFIX stand in for
--broker, --username, --password and --topic-prefix.

Examples:
  a2a broker                                       # a broker on mqtt://127.0.0.1:1883
  a2a agents                                       # who is there, online or not
  a2a send my-org/agent-001 --text "hello"         # call an agent, print the answer
  a2a stream my-org/agent-001 --text "hello"       # print the task's events as they come
  a2a task list my-org/agent-001 --status working
  A2A_BROKER_URL=mqtts://broker.example.com:8883 a2a agents -u alice -p "$PW"

Exit codes: 0 done, 1 failed (agent error, failed task), 2 bad usage, 3 broker
unreachable or login refused, 4 unknown or offline agent, 5 timeout, 130 interrupted.

Run \`a2a <command> --help\` for a command's options and examples.
`;

/** `task get` for the subcommand `get` of `task`; the root's name is left out. */
export function commandPath(command: Program): string {
  const names: string[] = [];
  for (let c: Program | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Help that lists subcommands by their full names, so `a2a --help` shows `task get`. */
class A2AHelp extends Help {
  override visibleCommands(command: Program): Program[] {
    const leaves = (c: Program): Program[] => (c.commands.length === 0 ? [c] : c.commands.flatMap(leaves));
    return command.commands.flatMap(leaves).filter((c) => c.name() !== "help");
  }
  override subcommandTerm(command: Program): string {
    const args = command.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(" ");
    return `${commandPath(command)}${command.options.length > 0 ? " [options]" : ""}${args ? ` ${args}` : ""}`;
  }
}

function addOption(target: Program, spec: OptionSpec): void {
  target.addOption(new Option(spec.flags, spec.description));
}

/** The values of `command`'s own options and its ancestors', by long name without dashes. */
export function optionValues(command: Program): OptionValues {
  const values: OptionValues = {};
  for (let c: Program | null = command; c; c = c.parent) {
    const opts = c.opts<Record<string, string | boolean | undefined>>();
    for (const option of c.options) {
      const name = option.long?.replace(/^--/, "") ?? option.attributeName();
      if (name in values) continue;
      const value = opts[option.attributeName()];
      // `--no-wait` is the attribute `wait`, true unless given: the flag is "no-wait".
      values[name] = option.negate ? value === false : value;
    }
  }
  return values;
}

export interface ProgramOptions {
  commands: readonly Command[];
  io: CliIo;
  /** Runs a command with its parsed arguments. */
  run(command: Command, positionals: string[], values: OptionValues): Promise<void>;
  /** Records which command a usage error was found in, for the "Run `a2a … --help`" hint. */
  onUsageError(path: string): void;
}

/** The commander program of `a2a`: one commander command per entry of `commands`. */
export function buildProgram(options: ProgramOptions): Program {
  const { io } = options;
  const program = new Program("a2a");
  program
    .description("a2a: talk to A2A agents over MQTT.")
    .version(VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => {} })
    .addHelpText("after", ROOT_HELP_AFTER);
  const createHelp = (): A2AHelp => Object.assign(new A2AHelp(), program.configureHelp());
  program.createHelp = createHelp;
  for (const spec of GLOBAL_OPTIONS) addOption(program, spec);

  for (const command of options.commands) {
    const words = command.name.split(" ");
    let parent = program;
    for (const word of words.slice(0, -1)) {
      parent = parent.commands.find((c) => c.name() === word) ?? parent.command(word).description(`${word} commands`);
    }
    const sub = parent.command(words.at(-1) ?? command.name).summary(command.summary).description(`${command.summary}.\n\n${command.description}`);
    for (const arg of command.arguments ?? []) sub.argument(arg);
    for (const spec of command.options) addOption(sub, spec);
    sub.addHelpText("after", `\nExamples:\n${command.examples.map((e) => `  ${e}`).join("\n")}\n`);
    sub.action(async (...args: unknown[]) => {
      const self = args.at(-1) as Program;
      const positionals = args.slice(0, -2).filter((a): a is string => typeof a === "string");
      await options.run(command, positionals, optionValues(self));
    });
  }
  // Each level records itself as the place of a usage error, before commander throws.
  const track = (c: Program): void => {
    c.configureOutput({ outputError: () => options.onUsageError(commandPath(c)) });
    c.createHelp = createHelp;
    c.commands.forEach(track);
  };
  track(program);
  return program;
}
