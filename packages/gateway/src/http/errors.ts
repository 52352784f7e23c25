import { A2AErrorCode, ERROR_INFO_TYPE } from "@a2a/schema";
import type { JsonRpcErrorObject } from "@a2a/transport/binding";
import { isA2AClientError } from "@a2a/client";

/**
 * Errors of the HTTP bindings: JSON-RPC error objects (spec section 9) and their REST
 * twins, an HTTP status with a `google.rpc.Status` body (section 11).
 */

/** HTTP status and `google.rpc.Status` name of each A2A / JSON-RPC error code (section 11.6). */
const REST_STATUS: Readonly<Record<number, [number, string]>> = {
  [A2AErrorCode.ParseError]: [400, "INVALID_ARGUMENT"],
  [A2AErrorCode.InvalidRequest]: [400, "INVALID_ARGUMENT"],
  [A2AErrorCode.MethodNotFound]: [404, "NOT_FOUND"],
  [A2AErrorCode.InvalidParams]: [400, "INVALID_ARGUMENT"],
  [A2AErrorCode.InternalError]: [500, "INTERNAL"],
  [A2AErrorCode.TaskNotFound]: [404, "NOT_FOUND"],
  [A2AErrorCode.TaskNotCancelable]: [409, "FAILED_PRECONDITION"],
  [A2AErrorCode.PushNotificationNotSupported]: [400, "FAILED_PRECONDITION"],
  [A2AErrorCode.UnsupportedOperation]: [400, "FAILED_PRECONDITION"],
  [A2AErrorCode.ContentTypeNotSupported]: [415, "INVALID_ARGUMENT"],
  [A2AErrorCode.InvalidAgentResponse]: [502, "INTERNAL"],
  [A2AErrorCode.ExtendedAgentCardNotConfigured]: [400, "FAILED_PRECONDITION"],
  [A2AErrorCode.ExtensionSupportRequired]: [400, "FAILED_PRECONDITION"],
  [A2AErrorCode.VersionNotSupported]: [400, "FAILED_PRECONDITION"],
};

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  413: "INVALID_ARGUMENT",
  415: "INVALID_ARGUMENT",
  500: "INTERNAL",
  502: "INTERNAL",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** A failure of the gateway itself (not of the agent), with the HTTP status it maps to. */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly status: number,
    readonly rpc: JsonRpcErrorObject,
  ) {
    super(rpc.message);
  }
}

/** Local client failures (agent offline, timeout, ...) as the gateway answers them. */
export function fromClientError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (isA2AClientError(error)) {
    // Offline agents and a full table of calls in flight are both worth a retry later.
    const status = error.code === "AGENT_OFFLINE" || error.code === "TOO_MANY_CALLS" ? 503 : error.code === "TIMEOUT" ? 504 : 502;
    return new GatewayError(status, { code: A2AErrorCode.InternalError, message: error.message });
  }
  // Never a stack trace or an internal message on the wire.
  return new GatewayError(500, { code: A2AErrorCode.InternalError, message: "Internal error in the gateway" });
}

export function invalidRequest(message: string): JsonRpcErrorObject {
  return { code: A2AErrorCode.InvalidRequest, message };
}

/** The REST status and body of a JSON-RPC error object. */
export function restError(rpc: JsonRpcErrorObject, httpStatus?: number): { status: number; body: RestErrorBody } {
  const [mapped, name] = REST_STATUS[rpc.code] ?? [500, "INTERNAL"];
  const status = httpStatus ?? mapped;
  const details = Array.isArray(rpc.data) ? rpc.data.filter((d) => typeof d === "object" && d !== null) : [];
  return {
    status,
    body: { error: { code: status, status: httpStatus === undefined ? name : (STATUS_NAMES[status] ?? name), message: rpc.message, details } },
  };
}

export interface RestErrorBody {
  error: { code: number; status: string; message: string; details: unknown[] };
}

/** A plain HTTP failure (unknown agent, offline, missing key) in the REST error shape. */
export function httpProblem(status: number, message: string): RestErrorBody {
  return { error: { code: status, status: STATUS_NAMES[status] ?? "UNKNOWN", message, details: [] } };
}

export { ERROR_INFO_TYPE };
