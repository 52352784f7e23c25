import type { JsonRpcErrorObject } from "../json-rpc.js";
import { isJsonObject } from "../payload.js";

/**
 * The profile's mandatory binding-specific error mapping. Its codes -32003..-32005
 * are the numbers A2A v1.0 gives PushNotificationNotSupported, UnsupportedOperation
 * and ContentTypeNotSupported, so on the profile an error is one of these only when
 * `error.data.a2a_error` says so; an error with the same code and without it is the
 * A2A error of that number.
 */
export type EmqxBindingErrorKind = "request_expired" | "responder_unavailable" | "transport_protocol_error";

export const EMQX_BINDING_ERROR_CODES: Readonly<Record<EmqxBindingErrorKind, number>> = Object.freeze({
  request_expired: -32003,
  responder_unavailable: -32004,
  transport_protocol_error: -32005,
});

/** The JSON-RPC error object of a binding error: its code and `data.a2a_error`. */
export function emqxBindingError(kind: EmqxBindingErrorKind, message: string): JsonRpcErrorObject {
  return { code: EMQX_BINDING_ERROR_CODES[kind], message, data: { a2a_error: kind } };
}

/**
 * Which binding error a JSON-RPC error is, told only by `data.a2a_error` (the code
 * must agree); undefined for every other error, A2A's -32003..-32005 included.
 */
export function emqxBindingErrorKind(error: { code: number; data?: unknown } | undefined): EmqxBindingErrorKind | undefined {
  if (error === undefined || !isJsonObject(error.data)) return undefined;
  const kind = error.data.a2a_error;
  if (kind !== "request_expired" && kind !== "responder_unavailable" && kind !== "transport_protocol_error") return undefined;
  return EMQX_BINDING_ERROR_CODES[kind] === error.code ? kind : undefined;
}

/** -32003 and -32004 may be retried by application policy; -32005 only once the request is corrected. */
export function isRetryEligibleEmqxError(kind: EmqxBindingErrorKind | undefined): boolean {
  return kind === "request_expired" || kind === "responder_unavailable";
}

/**
 * The profile was asked for on a connection that cannot carry it: it needs MQTT 5
 * (Response Topic, Correlation Data, user properties), and MQTT 3.1.1 brokers such as
 * aedes have none of them.
 */
export class EmqxProfileUnsupportedError extends Error {
  override readonly name = "EmqxProfileUnsupportedError";

  constructor(who: string) {
    super(
      `The EMQX A2A profile needs MQTT 5 (Response Topic, Correlation Data, user properties), but the broker of ${who} speaks MQTT 3.1.1 only (aedes, the embedded broker, does). ` +
        "Use an MQTT 5 broker (mosquitto 2, EMQX, HiveMQ) for the profile: set emqx.broker, or drop the emqx option.",
    );
  }
}
