/** What went wrong in a transport, as a stable string a caller can switch on. */
export type TransportErrorCode =
  | "not-connected"
  | "closed"
  | "connect-failed"
  | "invalid-topic"
  | "publish-failed"
  | "subscribe-failed"
  | "aborted"
  /** A stream's consumer fell too far behind; the stream ended. */
  | "overflow";

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
