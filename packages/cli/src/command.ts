import type { ParseArgsConfig } from "node:util";
import type { GlobalOptions } from "./global-options.js";
import { UsageError } from "./errors.js";

/** Where a command writes: results to `stdout`, progress and status lines to `stderr`. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Record<string, string | undefined>;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

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
}

/** One command (or subcommand) of `a2a`. */
export interface Command {
  name: string;
  /** One line for `a2a --help`. */
  summary: string;
  /** The full `--help` text: usage, options, examples. */
  help: string;
  options: NonNullable<ParseArgsConfig["options"]>;
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

/** An integer option within bounds, or undefined when absent. */
export function integerOption(context: CommandContext, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = stringOption(context, name);
  if (raw === undefined) return undefined;
  return parseInteger(raw, `--${name}`, min, max, context.name);
}

export function parseInteger(raw: string, label: string, min: number, max: number, command?: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${label} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}.`, command);
  }
  return value;
}

/** Exactly `count` positional arguments, named in the message when they are missing. */
export function positionals(context: CommandContext, names: string[]): string[] {
  const given = context.positionals;
  if (given.length < names.length) {
    const missing = names.slice(given.length).map((n) => `<${n}>`).join(" ");
    throw new UsageError(`${context.name}: missing ${missing}.`, context.name);
  }
  if (given.length > names.length) {
    throw new UsageError(`${context.name}: unexpected argument ${JSON.stringify(given[names.length])}.`, context.name);
  }
  return given;
}
