import { a2a } from "./invocation.js";

/**
 * Exit codes of the `a2a` command, so scripts can tell failures apart.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The agent answered with an error, a task failed, a file could not be written, ... */
  FAILURE: 1,
  /** Bad command line: unknown command or option, missing or malformed value. */
  USAGE: 2,
  /** No broker at the URL, or it refused the login. */
  UNREACHABLE: 3,
  /** The agent is unknown on this broker, or offline. */
  NOT_FOUND: 4,
  /** No (complete) answer within --timeout. */
  TIMEOUT: 5,
  /** Stopped by SIGINT/SIGTERM before it was done. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure whose message is meant for the user as is, with the exit code to use. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.FAILURE,
  ) {
    super(message);
  }
}

/** A mistake on the command line; the message names the fix. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(`${message}\nRun \`${a2a(`${command ? `${command} ` : ""}--help`)}\` for usage.`, EXIT.USAGE);
  }
}
