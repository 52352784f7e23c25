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

/** `google.rpc.ErrorInfo` in ProtoJSON `Any` form; metadata values are strings. */
export interface ErrorInfo {
  "@type": typeof ERROR_INFO_TYPE;
  reason: string;
  domain: typeof A2A_ERROR_DOMAIN;
  metadata?: Record<string, string>;
}

/** `google.rpc.BadRequest` in ProtoJSON `Any` form. */
export interface BadRequest {
  "@type": typeof BAD_REQUEST_TYPE;
  fieldViolations: { field: string; description: string }[];
}

function withDetail(standard: string, detail: string | undefined): string {
  return detail ? `${standard}: ${detail}` : standard;
}

function a2aError(code: A2AErrorCode, message: string, reason: string, metadata?: Record<string, string>): JsonRpcErrorObject {
  const info: ErrorInfo = { "@type": ERROR_INFO_TYPE, reason, domain: A2A_ERROR_DOMAIN };
  if (metadata && Object.keys(metadata).length > 0) info.metadata = metadata;
  return { code, message, data: [info] };
}

export function parseError(detail?: string): JsonRpcErrorObject {
  return { code: A2AErrorCode.ParseError, message: withDetail("Invalid JSON payload", detail) };
}

export function invalidRequest(detail?: string): JsonRpcErrorObject {
  return { code: A2AErrorCode.InvalidRequest, message: withDetail("Request payload validation error", detail) };
}

export function methodNotFound(method: string): JsonRpcErrorObject {
  return { code: A2AErrorCode.MethodNotFound, message: `Method not found: ${method}` };
}

/**
 * Invalid parameters. `issues` (as in {@link WireValidationError}) become a
 * `google.rpc.BadRequest` with one field violation each.
 */
export function invalidParams(detail: string, issues?: readonly { path: string; message: string }[]): JsonRpcErrorObject {
  const error: JsonRpcErrorObject = { code: A2AErrorCode.InvalidParams, message: withDetail("Invalid parameters", detail) };
  if (issues && issues.length > 0) {
    const badRequest: BadRequest = {
      "@type": BAD_REQUEST_TYPE,
      fieldViolations: issues.map((i) => ({ field: i.path, description: i.message })),
    };
    error.data = [badRequest];
  }
  return error;
}

export function internalError(detail?: string): JsonRpcErrorObject {
  return { code: A2AErrorCode.InternalError, message: withDetail("Internal error", detail) };
}

export function taskNotFound(taskId: string): JsonRpcErrorObject {
  return a2aError(A2AErrorCode.TaskNotFound, `Task not found: ${taskId}`, "TASK_NOT_FOUND", { taskId });
}

export function taskNotCancelable(taskId: string, state?: TaskState): JsonRpcErrorObject {
  const meta: Record<string, string> = { taskId };
  if (state) meta["state"] = state;
  const why = state ? ` (state ${state})` : "";
  return a2aError(A2AErrorCode.TaskNotCancelable, `Task cannot be canceled: ${taskId}${why}`, "TASK_NOT_CANCELABLE", meta);
}

export function pushNotificationNotSupported(): JsonRpcErrorObject {
  return a2aError(A2AErrorCode.PushNotificationNotSupported, "Push Notification is not supported", "PUSH_NOTIFICATION_NOT_SUPPORTED");
}

export function unsupportedOperation(detail: string): JsonRpcErrorObject {
  return a2aError(A2AErrorCode.UnsupportedOperation, withDetail("This operation is not supported", detail), "UNSUPPORTED_OPERATION");
}

export function contentTypeNotSupported(detail: string): JsonRpcErrorObject {
  return a2aError(A2AErrorCode.ContentTypeNotSupported, withDetail("Incompatible content types", detail), "CONTENT_TYPE_NOT_SUPPORTED");
}

export function invalidAgentResponse(detail: string): JsonRpcErrorObject {
  return a2aError(A2AErrorCode.InvalidAgentResponse, withDetail("Invalid agent response", detail), "INVALID_AGENT_RESPONSE");
}

export function extendedAgentCardNotConfigured(): JsonRpcErrorObject {
  return a2aError(
    A2AErrorCode.ExtendedAgentCardNotConfigured,
    "Extended agent card is not configured",
    "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
  );
}

export function extensionSupportRequired(uris: readonly string[]): JsonRpcErrorObject {
  return a2aError(
    A2AErrorCode.ExtensionSupportRequired,
    `Extension support required: ${uris.join(", ")} (send them in the A2A-Extensions service parameter)`,
    "EXTENSION_SUPPORT_REQUIRED",
    { extensions: uris.join(",") },
  );
}

export function versionNotSupported(version: string): JsonRpcErrorObject {
  return a2aError(
    A2AErrorCode.VersionNotSupported,
    `Version not supported: ${version}`,
    "VERSION_NOT_SUPPORTED",
    { version },
  );
}
