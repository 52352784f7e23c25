import { A2A_ERROR_DOMAIN, A2AErrorCode, BAD_REQUEST_TYPE, ERROR_INFO_TYPE } from "@a2a/schema";
import type { JsonRpcErrorObject } from "./json-rpc.js";

/**
 * JSON-RPC 2.0 and A2A v1.0 error codes: the schema's table under the binding's name,
 * so that there is one list of codes.
 */
export const ErrorCode = A2AErrorCode;

export type ErrorCodeValue = A2AErrorCode;

/** The `reason` of the ErrorInfo attached to each A2A error (`error.data[0].reason`). */
export const ERROR_REASONS: Readonly<Record<number, string>> = {
  [ErrorCode.TaskNotFound]: "TASK_NOT_FOUND",
  [ErrorCode.TaskNotCancelable]: "TASK_NOT_CANCELABLE",
  [ErrorCode.PushNotificationNotSupported]: "PUSH_NOTIFICATION_NOT_SUPPORTED",
  [ErrorCode.UnsupportedOperation]: "UNSUPPORTED_OPERATION",
  [ErrorCode.ContentTypeNotSupported]: "CONTENT_TYPE_NOT_SUPPORTED",
  [ErrorCode.InvalidAgentResponse]: "INVALID_AGENT_RESPONSE",
  [ErrorCode.ExtendedAgentCardNotConfigured]: "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
  [ErrorCode.ExtensionSupportRequired]: "EXTENSION_SUPPORT_REQUIRED",
  [ErrorCode.VersionNotSupported]: "VERSION_NOT_SUPPORTED",
};

export { ERROR_INFO_TYPE, BAD_REQUEST_TYPE };
export const ERROR_DOMAIN = A2A_ERROR_DOMAIN;

/** `google.rpc.ErrorInfo` as carried in `error.data` (A2A v1.0). */
export interface ErrorInfo {
  "@type": typeof ERROR_INFO_TYPE;
  reason: string;
  domain: string;
  metadata?: Record<string, string>;
}

/** One invalid field of a -32602 error (`google.rpc.BadRequest.fieldViolations`). */
export interface FieldViolation {
  /** Dotted path into `params`, e.g. `message.parts.0.text`. */
  field: string;
  description: string;
}

/** The `error.data` array for an A2A error code; undefined for plain JSON-RPC codes. */
export function errorData(code: number, metadata?: Record<string, string>): ErrorInfo[] | undefined {
  const reason = ERROR_REASONS[code];
  if (reason === undefined) return undefined;
  const info: ErrorInfo = { "@type": ERROR_INFO_TYPE, reason, domain: ERROR_DOMAIN };
  if (metadata !== undefined) info.metadata = metadata;
  return [info];
}

/**
 * An error that goes on the wire as a JSON-RPC error object. Throw it from a handler
 * to answer with exactly this code; anything else becomes -32603 Internal error.
 */
export class A2AProtocolError extends Error {
  override readonly name = "A2AProtocolError";
  readonly code: number;
  readonly data: unknown;

  constructor(options: { code: number; message: string; data?: unknown; cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.data = options.data ?? errorData(options.code);
  }

  /** The JSON-RPC error object. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  /** -32602 listing the invalid fields. */
  static invalidParams(message: string, violations: FieldViolation[] = []): A2AProtocolError {
    const data = violations.length > 0 ? [{ "@type": BAD_REQUEST_TYPE, fieldViolations: violations }] : undefined;
    return new A2AProtocolError({ code: ErrorCode.InvalidParams, message, data });
  }
}

/** True for any value shaped like a JSON-RPC error object (integer code, string message). */
export function isJsonRpcErrorObject(value: unknown): value is JsonRpcErrorObject {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { code?: unknown; message?: unknown };
  return typeof v.code === "number" && Number.isInteger(v.code) && typeof v.message === "string";
}

export interface ToJsonRpcErrorOptions {
  /**
   * Message used for errors that are not protocol errors (their own message may leak
   * internals to a remote caller).
   * @default "Internal error"
   */
  internalMessage?: string;
}

/**
 * Maps anything thrown to a JSON-RPC error object: protocol errors (and objects shaped
 * like them, e.g. from `@a2a/schema`'s error constructors) keep their code, message and
 * data; everything else becomes -32603.
 */
export function toJsonRpcError(error: unknown, options: ToJsonRpcErrorOptions = {}): JsonRpcErrorObject {
  if (error instanceof A2AProtocolError) return error.toJSON();
  if (isJsonRpcErrorObject(error)) {
    const e = error as JsonRpcErrorObject;
    const data = e.data ?? errorData(e.code);
    return data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data };
  }
  return { code: ErrorCode.InternalError, message: options.internalMessage ?? "Internal error" };
}

/** Turns a received JSON-RPC error object into a throwable {@link A2AProtocolError}. */
export function fromJsonRpcError(error: JsonRpcErrorObject): A2AProtocolError {
  return new A2AProtocolError({ code: error.code, message: error.message, data: error.data });
}

/** The ErrorInfo `reason` in a received error's data, if any. */
export function errorReason(error: JsonRpcErrorObject): string | undefined {
  if (!Array.isArray(error.data)) return undefined;
  for (const item of error.data) {
    if (typeof item === "object" && item !== null && (item as { "@type"?: unknown })["@type"] === ERROR_INFO_TYPE) {
      const reason = (item as { reason?: unknown }).reason;
      if (typeof reason === "string") return reason;
    }
  }
  return undefined;
}
