/**
 * The two kinds of failure a client call can end with.
 *
 * - {@link A2AProtocolError}: the agent answered with a JSON-RPC error. It carries the wire
 *   `code` (e.g. -32001 TaskNotFound), the agent's `message` and `data`.
 * - {@link A2AClientError}: something went wrong on this side (timeout, agent offline,
 *   aborted, client closed, a reply that is not valid A2A). Its `code` is a string and
 *   never travels on the wire.
 */

import { A2AProtocolError, isA2AProtocolError } from "@a2a/schema";

export { A2AProtocolError, isA2AProtocolError };

/** @deprecated Use {@link A2AProtocolError}: the same class, under the name the agent throws. */
export const A2AError = A2AProtocolError;
/** @deprecated Use {@link A2AProtocolError}. */
export type A2AError = A2AProtocolError;

/** @deprecated Use {@link isA2AProtocolError}. */
export const isA2AError: (error: unknown, code?: number) => error is A2AProtocolError = isA2AProtocolError;

/** Why a call failed locally. */
export type A2AClientErrorCode =
  /** No (complete) reply within `timeoutMs`. Retry later or raise the timeout. */
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
  | "CONNECTION_LOST";

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
