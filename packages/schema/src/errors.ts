import type { JsonRpcErrorObject } from "./json-rpc.js";
import type { TaskState } from "./task-state.js";

/** JSON-RPC error codes used by A2A 1.0. */
export const A2AErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  TaskNotFound: -32001,
  TaskNotCancelable: -32002,
  PushNotificationNotSupported: -32003,
  UnsupportedOperation: -32004,
  ContentTypeNotSupported: -32005,
  InvalidAgentResponse: -32006,
  ExtendedAgentCardNotConfigured: -32007,
  ExtensionSupportRequired: -32008,
  VersionNotSupported: -32009,
} as const;
export type A2AErrorCode = (typeof A2AErrorCode)[keyof typeof A2AErrorCode];

export const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";
export const BAD_REQUEST_TYPE = "type.googleapis.com/google.rpc.BadRequest";
export const A2A_ERROR_DOMAIN = "a2a-protocol.org";

/** The `reason` of the ErrorInfo attached to each A2A error code (`error.data[0].reason`). */
export const ERROR_REASONS: Readonly<Record<number, string>> = {
  [A2AErrorCode.TaskNotFound]: "TASK_NOT_FOUND",
  [A2AErrorCode.TaskNotCancelable]: "TASK_NOT_CANCELABLE",
  [A2AErrorCode.PushNotificationNotSupported]: "PUSH_NOTIFICATION_NOT_SUPPORTED",
  [A2AErrorCode.UnsupportedOperation]: "UNSUPPORTED_OPERATION",
  [A2AErrorCode.ContentTypeNotSupported]: "CONTENT_TYPE_NOT_SUPPORTED",
  [A2AErrorCode.InvalidAgentResponse]: "INVALID_AGENT_RESPONSE",
  [A2AErrorCode.ExtendedAgentCardNotConfigured]: "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
  [A2AErrorCode.ExtensionSupportRequired]: "EXTENSION_SUPPORT_REQUIRED",
  [A2AErrorCode.VersionNotSupported]: "VERSION_NOT_SUPPORTED",
};

/** `google.rpc.ErrorInfo` in ProtoJSON `Any` form; metadata values are strings. */
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

/** `google.rpc.BadRequest` in ProtoJSON `Any` form. */
export interface BadRequest {
  "@type": typeof BAD_REQUEST_TYPE;
  fieldViolations: FieldViolation[];
}

/** An issue as reported by validation (`WireIssue`): a path and what is wrong there. */
export interface ParamIssue {
  path: string;
  message: string;
}

/** The `error.data` array for an A2A error code; undefined for plain JSON-RPC codes. */
export function errorData(code: number, metadata?: Record<string, string>): ErrorInfo[] | undefined {
  const reason = ERROR_REASONS[code];
  if (reason === undefined) return undefined;
  const info: ErrorInfo = { "@type": ERROR_INFO_TYPE, reason, domain: A2A_ERROR_DOMAIN };
  if (metadata !== undefined && Object.keys(metadata).length > 0) info.metadata = metadata;
  return [info];
}

function withDetail(standard: string, detail: string | undefined): string {
  return detail ? `${standard}: ${detail}` : standard;
}

export interface A2AProtocolErrorOptions {
  code: number;
  message: string;
  /** `error.data`; by default the ErrorInfo of `code` when it is an A2A code. */
  data?: unknown;
  cause?: unknown;
}

/**
 * A JSON-RPC error as it travels on the wire, on either side: an agent's handler throws
 * one to answer with exactly this code (anything else becomes -32603), and a client call
 * rejects with one when the agent answered with an error. The static constructors build
 * each A2A 1.0 error with its standard message and ErrorInfo.
 */
export class A2AProtocolError extends Error {
  override readonly name = "A2AProtocolError";
  /** JSON-RPC error code, e.g. -32001 (TaskNotFound) or -32602 (invalid params). */
  readonly code: number;
  /** The `error.data` member (in A2A 1.0 an array of typed objects), or undefined. */
  readonly data: unknown;

  constructor(options: A2AProtocolErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.data = options.data ?? errorData(options.code);
  }

  /** The `reason` of the first `google.rpc.ErrorInfo` in `data` (e.g. `"TASK_NOT_FOUND"`), if any. */
  get reason(): string | undefined {
    return reasonOf(this.data);
  }

  /** The JSON-RPC error object (what `JSON.stringify` writes). */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }

  /** A received JSON-RPC error object as a throwable error (its data kept as sent). */
  static fromJsonRpc(error: JsonRpcErrorObject): A2AProtocolError {
    const made = new A2AProtocolError({ code: error.code, message: error.message });
    // Keep exactly what was received: no default ErrorInfo added to a foreign error.
    (made as { data: unknown }).data = error.data;
    return made;
  }

  static parseError(detail?: string): A2AProtocolError {
    return new A2AProtocolError({ code: A2AErrorCode.ParseError, message: withDetail("Invalid JSON payload", detail) });
  }

  static invalidRequest(detail?: string): A2AProtocolError {
    return new A2AProtocolError({ code: A2AErrorCode.InvalidRequest, message: withDetail("Request payload validation error", detail) });
  }

  static methodNotFound(method: string): A2AProtocolError {
    return new A2AProtocolError({ code: A2AErrorCode.MethodNotFound, message: `Method not found: ${method}` });
  }

  /** Invalid parameters; `issues` become a `google.rpc.BadRequest` with one field violation each. */
  static invalidParams(detail: string, issues: readonly ParamIssue[] = []): A2AProtocolError {
    const data: BadRequest[] | undefined =
      issues.length > 0 ? [{ "@type": BAD_REQUEST_TYPE, fieldViolations: issues.map((i) => ({ field: i.path, description: i.message })) }] : undefined;
    return new A2AProtocolError({ code: A2AErrorCode.InvalidParams, message: withDetail("Invalid parameters", detail), data });
  }

  static internalError(detail?: string): A2AProtocolError {
    return new A2AProtocolError({ code: A2AErrorCode.InternalError, message: withDetail("Internal error", detail) });
  }

  static taskNotFound(taskId: string, metadata: Record<string, string> = {}): A2AProtocolError {
    return a2a(A2AErrorCode.TaskNotFound, `Task not found: ${taskId}`, { taskId, ...metadata });
  }

  static taskNotCancelable(taskId: string, state?: TaskState): A2AProtocolError {
    const metadata: Record<string, string> = { taskId };
    if (state) metadata["state"] = state;
    return a2a(A2AErrorCode.TaskNotCancelable, `Task cannot be canceled: ${taskId}${state ? ` (state ${state})` : ""}`, metadata);
  }

  static pushNotificationNotSupported(): A2AProtocolError {
    return a2a(A2AErrorCode.PushNotificationNotSupported, "Push Notification is not supported");
  }

  static unsupportedOperation(detail: string): A2AProtocolError {
    return a2a(A2AErrorCode.UnsupportedOperation, withDetail("This operation is not supported", detail));
  }

  static contentTypeNotSupported(detail: string): A2AProtocolError {
    return a2a(A2AErrorCode.ContentTypeNotSupported, withDetail("Incompatible content types", detail));
  }

  static invalidAgentResponse(detail: string): A2AProtocolError {
    return a2a(A2AErrorCode.InvalidAgentResponse, withDetail("Invalid agent response", detail));
  }

  static extendedAgentCardNotConfigured(): A2AProtocolError {
    return a2a(A2AErrorCode.ExtendedAgentCardNotConfigured, "Extended agent card is not configured");
  }

  static extensionSupportRequired(uris: readonly string[]): A2AProtocolError {
    return a2a(
      A2AErrorCode.ExtensionSupportRequired,
      `Extension support required: ${uris.join(", ")} (send them in the A2A-Extensions service parameter)`,
      { extensions: uris.join(",") },
    );
  }

  static versionNotSupported(version: string): A2AProtocolError {
    return a2a(A2AErrorCode.VersionNotSupported, `Version not supported: ${version}`, { version });
  }
}

function a2a(code: A2AErrorCode, message: string, metadata?: Record<string, string>): A2AProtocolError {
  return new A2AProtocolError({ code, message, data: errorData(code, metadata) });
}

/** True when `error` is an {@link A2AProtocolError}, optionally with the given JSON-RPC code. */
export function isA2AProtocolError(error: unknown, code?: number): error is A2AProtocolError {
  return error instanceof A2AProtocolError && (code === undefined || error.code === code);
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
 * like them) keep their code, message and data; everything else becomes -32603.
 */
export function toJsonRpcError(error: unknown, options: ToJsonRpcErrorOptions = {}): JsonRpcErrorObject {
  if (error instanceof A2AProtocolError) return error.toJSON();
  if (isJsonRpcErrorObject(error)) {
    const data = error.data ?? errorData(error.code);
    return data === undefined ? { code: error.code, message: error.message } : { code: error.code, message: error.message, data };
  }
  return { code: A2AErrorCode.InternalError, message: options.internalMessage ?? "Internal error" };
}

/** The ErrorInfo `reason` in a JSON-RPC error object's data, if any. */
export function errorReason(error: JsonRpcErrorObject): string | undefined {
  return reasonOf(error.data);
}

/** Liberal on input: `data` may be one object or an array, and foreign agents omit `@type`. */
function reasonOf(data: unknown): string | undefined {
  const entries: unknown[] = Array.isArray(data) ? data : [data];
  for (const entry of entries) {
    if (typeof entry === "object" && entry !== null) {
      const reason = (entry as { reason?: unknown }).reason;
      if (typeof reason === "string") return reason;
    }
  }
  return undefined;
}
