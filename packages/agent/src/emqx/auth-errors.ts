import type { JsonRpcErrorObject } from "@a2a/transport/binding";

/**
 * The JSON-RPC errors of per-request bearer tokens. A2A v1.0 leaves authentication and
 * authorization failures to "JSON-RPC custom errors" (specification §3.3.2) and the
 * EMQX profile defers to A2A for them, so these codes are this implementation's (in the
 * implementation-defined server range, away from the A2A -32001.. and profile -32003..-32005
 * codes); `error.data` carries an RFC 6750-style challenge: the scheme, `invalid_token`
 * or `insufficient_scope`, and the scopes needed. The token itself is never in an error.
 */
export const AuthErrorCode = {
  /** Missing, malformed, expired or otherwise invalid token (HTTP 401, gRPC UNAUTHENTICATED). */
  Unauthenticated: -32090,
  /** A valid token without the scopes the operation or skill needs (HTTP 403, gRPC PERMISSION_DENIED). */
  PermissionDenied: -32091,
} as const;

export const AUTH_ERROR_DOMAIN = "a2a-mqtt.bearer-auth";

export function unauthenticated(reason: string): JsonRpcErrorObject {
  return {
    code: AuthErrorCode.Unauthenticated,
    message: `Unauthenticated: ${reason}`,
    data: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "UNAUTHENTICATED",
        domain: AUTH_ERROR_DOMAIN,
        metadata: { scheme: "Bearer", error: "invalid_token" },
      },
    ],
  };
}

export function permissionDenied(missing: readonly string[], what: string): JsonRpcErrorObject {
  const scope = missing.join(" ");
  return {
    code: AuthErrorCode.PermissionDenied,
    message: `Permission denied: ${what} needs the scope${missing.length === 1 ? "" : "s"} ${scope}, which the token does not grant`,
    data: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "PERMISSION_DENIED",
        domain: AUTH_ERROR_DOMAIN,
        metadata: { scheme: "Bearer", error: "insufficient_scope", scope },
      },
    ],
  };
}
