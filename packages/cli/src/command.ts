import type { CliIo } from "./cli-io.js";
import { UsageError } from "./errors.js";
import type { GlobalOptions } from "./global-options.js";
import { parseInteger, type IntegerRange, type OptionSpec, type OptionValues } from "./option-values.js";

export type { CliIo } from "./cli-io.js";
export { parseInteger, type IntegerRange, type OptionSpec, type OptionValues } from "./option-values.js";

export interface CommandContext {
  /** Positional arguments after the command (and subcommand) name. */
  positionals: string[];
  values: OptionValues;
  global: GlobalOptions;
  io: CliIo;
  /** Aborted by SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** The command's name as typed, e.g. `"task get"`, for messages. */
  name: string;
  /** Every command of the CLI (for `a2a completion`). */
  commands: readonly Command[];
}

/**
 * One command (or subcommand) of `a2a`, registered in the list in `commands/index.ts`.
 * Its help (usage, options, global options) is generated from these fields.
 */
export interface Command {
  /** `"agents"`, or `"task get"` for a subcommand of a group. */
  name: string;
  /** One line for `a2a --help`. */
  summary: string;
  /** Positional arguments, e.g. `["<org/agent>", "<task-id>"]` (`[name]` when optional). */
  arguments?: string[];
  /** The paragraph under the usage line in `--help`. */
  description: string;
  options: OptionSpec[];
  /** Example command lines for `--help`, each starting with `a2a`. */
  examples: string[];
  /** Resolves with the exit code. */
  run(context: CommandContext): Promise<number>;
}

/** A string option, or undefined. */
export function stringOption(context: CommandContext, name: string): string | undefined {
  const value = context.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A required string option; a usage error naming it when absent. */
export function requiredOption(context: CommandContext, name: string): string {
  const value = stringOption(context, name);
  if (value === undefined || value === "") throw new UsageError(`${context.name}: --${name} is required.`, context.name);
  return value;
}

export function flag(context: CommandContext, name: string): boolean {
  return context.values[name] === true;
}

/** An integer option within `range`, or undefined when absent. */
export function integerOption(context: CommandContext, name: string, range: IntegerRange): number | undefined {
  const raw = stringOption(context, name);
  if (raw === undefined) return undefined;
  return parseInteger(raw, { ...range, label: `--${name}`, command: context.name });
}
