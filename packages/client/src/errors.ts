/**
 * The two kinds of failure a client call can end with.
 *
 * - {@link A2AProtocolError}: the agent answered with a JSON-RPC error. It carries the wire
 *   `code` (e.g. -32001 TaskNotFound), the agent's `message` and `data`.
 * - {@link A2AClientError}: something went wrong on this side (a bad argument, timeout,
 *   agent offline, aborted, client closed, the broker connection, a reply that is not
 *   valid A2A). Its `code` is a SCREAMING_SNAKE string and never travels on the wire.
 */

import { A2AProtocolError, isA2AProtocolError } from "@a2a/schema";
import { TransportError } from "@a2a/transport";

export { A2AProtocolError, isA2AProtocolError };

/** Why a call failed locally. */
export type A2AClientErrorCode =
  /** No (complete) reply within `timeoutMs` (connecting to the broker included). Retry later or raise the timeout. */
  | "TIMEOUT"
  /** The agent's card says it is offline, or the broker has no subscriber for its tasks topic. */
  | "AGENT_OFFLINE"
  /** The caller's AbortSignal fired. */
  | "ABORTED"
  /** The client was closed while the call was pending, or before it started. */
  | "CLOSED"
  /** The agent's reply is not a valid A2A / JSON-RPC response. */
  | "INVALID_RESPONSE"
  /**
   * The broker connection came back without its session while a stream was running:
   * events sent meanwhile may be missing. Continue with SubscribeToTask or GetTask.
   */
  | "CONNECTION_LOST"
  /** Connecting to the broker (or subscribing to the reply topic) failed; `cause` is the {@link TransportError}. */
  | "CONNECT_FAILED"
  /** The broker connection failed a publish or subscribe; `cause` is the {@link TransportError}. */
  | "TRANSPORT_FAILED"
  /** More calls in flight than the client holds (10 000); wait for some to finish. */
  | "TOO_MANY_CALLS"
  /** An agent id that is not `"org/agent"` with two valid topic levels. */
  | "INVALID_AGENT_ID"
  /** Any other argument the client cannot use (a message without parts, a stream iterated twice, ...). */
  | "INVALID_ARGUMENT"
  /** Discovery is turned off for this client, or the broker refused its subscription. */
  | "DISCOVERY_UNAVAILABLE"
  /** An agent watch fell too far behind its events and was ended. */
  | "OVERFLOW";

/** A failure detected by the client itself; never sent on the wire. */
export class A2AClientError extends Error {
  override readonly name = "A2AClientError";
  readonly code: A2AClientErrorCode;

  constructor(code: A2AClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** True when `error` is an {@link A2AClientError}, optionally with the given code. */
export function isA2AClientError(error: unknown, code?: A2AClientErrorCode): error is A2AClientError {
  return error instanceof A2AClientError && (code === undefined || error.code === code);
}

/** The error to throw when `signal` aborted: its reason when it is an Error we made, else ABORTED. */
export function abortError(signal: AbortSignal, what: string): A2AClientError {
  const reason: unknown = signal.reason;
  if (reason instanceof A2AClientError) return reason;
  return new A2AClientError("ABORTED", `${what} was aborted by the caller's AbortSignal.`, { cause: reason });
}

/**
 * A failure of the broker connection as an {@link A2AClientError}: `code` for what was
 * being done (CONNECT_FAILED or TRANSPORT_FAILED), the transport's error as `cause`.
 * Errors that are already the client's or the agent's pass through unchanged.
 */
export function clientErrorOf(error: unknown, code: "CONNECT_FAILED" | "TRANSPORT_FAILED"): unknown {
  if (!(error instanceof TransportError)) return error;
  if (error.code === "CLOSED") return closedError();
  return new A2AClientError(code, error.message, { cause: error });
}

export function closedError(): A2AClientError {
  return new A2AClientError("CLOSED", "The A2A client is closed; create a new one to make more calls.");
}
