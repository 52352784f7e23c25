import { isA2AClientError, isA2AProtocolError } from "@a2a/client";
import { CliError, EXIT } from "./errors.js";
import { a2a } from "./invocation.js";

/** Any failure of a command as the message to print and the exit code. */
export function describeFailure(error: unknown, context: { timeoutMs: number; agent?: string }): CliError {
  if (error instanceof CliError) return error;
  const who = context.agent ?? "the agent";
  if (isA2AClientError(error)) {
    switch (error.code) {
      case "TIMEOUT":
        // The client's message speaks of its API (timeoutMs, returnImmediately): say it in the CLI's words.
        return new CliError(
          `Timed out after ${context.timeoutMs} ms waiting for ${who}; it may be offline or busy.\n` +
            `Raise --timeout MS; for a long task use --no-wait (then \`${a2a("task get")}\`) or \`${a2a("stream")}\`; \`${a2a("agents")}\` shows who is online.`,
          EXIT.TIMEOUT,
        );
      case "AGENT_OFFLINE":
        return new CliError(`${error.message}\nSee \`${a2a("agents")}\` for who is online.`, EXIT.NOT_FOUND);
      case "ABORTED":
      case "CLOSED":
        return new CliError("Interrupted.", EXIT.INTERRUPTED);
      case "CONNECTION_LOST":
        return new CliError(error.message);
      case "INVALID_RESPONSE":
        return new CliError(`${who} sent a reply that is not valid A2A: ${error.message}`);
      case "CONNECT_FAILED":
        return new CliError(error.message, EXIT.UNREACHABLE);
      case "INVALID_AGENT_ID":
      case "INVALID_ARGUMENT":
        return new CliError(error.message, EXIT.USAGE);
      case "TRANSPORT_FAILED":
      case "TOO_MANY_CALLS":
      case "DISCOVERY_UNAVAILABLE":
      case "OVERFLOW":
        return new CliError(error.message);
    }
  }
  if (isA2AProtocolError(error)) {
    const reason = error.reason ? ` ${error.reason}` : "";
    return new CliError(`${who} answered with error ${error.code}${reason}: ${error.message}`);
  }
  return new CliError(error instanceof Error ? error.message : String(error));
}
