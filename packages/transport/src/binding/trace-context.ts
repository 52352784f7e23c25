import { TRACEPARENT_PARAM, TRACESTATE_PARAM } from "./constants.js";
import type { ServiceParams } from "./request.js";

/**
 * W3C Trace Context of a request (https://www.w3.org/TR/trace-context/), carried as
 * the service parameters `traceparent` and `tracestate`: MQTT 5 user properties, or
 * members of `serviceParams` on MQTT 3.1.1 (docs/binding.md section 4.2).
 */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the caller's span. */
  spanId: string;
  /** Trace flags; bit 0 is "sampled". */
  flags: number;
  /** Vendor data, passed on unchanged (at most {@link MAX_TRACESTATE_LENGTH} characters). */
  traceState?: string;
}

/** Longest `tracestate` passed on; the W3C recommendation propagates at least 512. */
export const MAX_TRACESTATE_LENGTH = 512;

// version-traceid-parentid-flags; later versions may append fields after a dash.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);
// list members of printable ASCII without "," and "=" in keys; checked loosely, bounded strictly.
const TRACESTATE = /^[\x20-\x7e]*$/;

/**
 * The trace context of a request's service parameters, or undefined when it has none
 * or an invalid one (a request with a bad `traceparent` is served, only untraced from
 * the caller: the W3C rule is to start a new trace then).
 */
export function readTraceContext(params: ServiceParams): TraceContext | undefined {
  const header = params[TRACEPARENT_PARAM];
  if (header === undefined || header.length > 256) return undefined;
  const match = TRACEPARENT.exec(header);
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  const context: TraceContext = { traceId, spanId, flags: Number.parseInt(flags, 16) };
  const state = params[TRACESTATE_PARAM];
  if (state !== undefined && state.length > 0 && state.length <= MAX_TRACESTATE_LENGTH && TRACESTATE.test(state)) {
    context.traceState = state;
  }
  return context;
}

/** Adds `traceparent` (and `tracestate`) for `context` to service parameters. */
export function writeTraceContext(params: ServiceParams, context: TraceContext): ServiceParams {
  const flags = (context.flags & 0xff).toString(16).padStart(2, "0");
  params[TRACEPARENT_PARAM] = `00-${context.traceId}-${context.spanId}-${flags}`;
  const state = context.traceState;
  if (state !== undefined && state.length > 0 && state.length <= MAX_TRACESTATE_LENGTH) params[TRACESTATE_PARAM] = state;
  return params;
}
