import { ROOT_CONTEXT, createTraceState, trace, type Context, type SpanContext } from "@opentelemetry/api";
import { readTraceContext, type ServiceParams } from "@a2a/transport/binding";

/**
 * The OpenTelemetry context of the caller's span named by a request's `traceparent`
 * (and `tracestate`), or the root context when the request carries none (or an
 * invalid one). Read directly rather than through the global propagator: the binding
 * fixes the W3C format, whatever propagator the process registered for HTTP.
 */
export function remoteContext(params: ServiceParams): Context {
  const carried = readTraceContext(params);
  if (carried === undefined) return ROOT_CONTEXT;
  const spanContext: SpanContext = {
    traceId: carried.traceId,
    spanId: carried.spanId,
    traceFlags: carried.flags,
    isRemote: true,
  };
  if (carried.traceState !== undefined) spanContext.traceState = createTraceState(carried.traceState);
  return trace.setSpanContext(ROOT_CONTEXT, spanContext);
}
