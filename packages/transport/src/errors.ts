/** What went wrong in a transport, as a stable SCREAMING_SNAKE string a caller can switch on. */
export type TransportErrorCode =
  /** An operation before `connect()` resolved (or after the connection was lost for good). */
  | "NOT_CONNECTED"
  /** The transport was closed. */
  | "CLOSED"
  /** The broker could not be reached or refused the connection. */
  | "CONNECT_FAILED"
  /** A topic or filter that MQTT does not allow. */
  | "INVALID_TOPIC"
  | "PUBLISH_FAILED"
  | "SUBSCRIBE_FAILED"
  /** The caller's AbortSignal fired. */
  | "ABORTED"
  /** A stream's consumer fell too far behind; the stream ended. */
  | "OVERFLOW";

/**
 * A local transport failure. It never goes on the wire; `code` says what happened and
 * `cause` carries the underlying error (socket, broker refusal) when there is one.
 */
export class TransportError extends Error {
  override readonly name = "TransportError";
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
