import {
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import type { Logger, Transport } from "@a2a/transport";
import { writeTraceContext, type ServiceParams } from "@a2a/transport/binding";
import { A2AClientError, A2AProtocolError } from "./errors.js";

const SCOPE_NAME = "@a2a/client";

/** The options of a client about its logs, traces and metrics (docs/observability.md). */
export interface ClientObservabilityOptions {
  /**
   * A structured logger (pino-compatible: fields first, then the message). Failed
   * calls are logged at debug level with their `requestId`, `method`, `agentId` and `traceId`.
   * @default warn-level lines on stderr
   */
  logger?: Logger;
  /**
   * Where the spans of calls go; each call's trace context travels in its request
   * (docs/observability.md). @default the global tracer provider
   */
  tracerProvider?: TracerProvider;
  /** Where the call metrics go. @default the global meter provider */
  meterProvider?: MeterProvider;
}

export interface ClientTelemetryOptions {
  /** @default the global tracer provider */
  tracerProvider?: TracerProvider | undefined;
  /** @default the global meter provider */
  meterProvider?: MeterProvider | undefined;
  logger: Logger;
}

/** What a span is told about its call. */
export interface SpannedCall {
  readonly agent: string;
  readonly id: string;
  readonly method: string;
}

/** One call's span; the request carries its context to the agent. */
export class CallSpan {
  readonly started = performance.now();
  readonly attributes: Attributes;
  readonly agentId: string;
  readonly requestId: string;

  constructor(
    readonly telemetry: ClientTelemetry,
    readonly span: Span,
    call: SpannedCall,
  ) {
    this.agentId = call.agent;
    this.requestId = call.id;
    this.attributes = telemetry.metricAttributes(call.method, "ok");
  }

  /** Adds `traceparent` / `tracestate` of this span to a request's service parameters. */
  inject(params: ServiceParams): void {
    const sc = this.span.spanContext();
    if (sc === INVALID_SPAN_CONTEXT || !trace.isSpanContextValid(sc)) return;
    const carried = { traceId: sc.traceId, spanId: sc.spanId, flags: sc.traceFlags };
    const state = sc.traceState?.serialize();
    writeTraceContext(params, state === undefined || state === "" ? carried : { ...carried, traceState: state });
  }

  /** The last stream event seen, for the task id and state the span ends with. */
  last: unknown;

  /** Ends the span with the call's outcome: a result (maybe holding a task) or an error. */
  end(error: unknown, result: unknown = this.last): void {
    this.telemetry.ended(this, error, result);
  }
}

/**
 * A client's traces and metrics: one CLIENT span per call (`{org}/{agent}/{method}`),
 * child of the active span (inside a skill handler, the task's span), whose context
 * travels in the request; a counter of calls by method and outcome and a histogram of
 * their durations. Non-recording and free of attribute work when no SDK is registered.
 */
export class ClientTelemetry {
  readonly logger: Logger;
  readonly #tracer: Tracer;
  readonly #calls: Counter;
  readonly #duration: Histogram;
  readonly #reconnects: Counter;
  readonly #outcomes = new Map<string, Attributes>();
  /** The attributes of each method's successful calls: looked up by the method alone. */
  readonly #ok = new Map<string, Attributes>();

  constructor(options: ClientTelemetryOptions) {
    this.logger = options.logger;
    this.#tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME);
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME);
    this.#calls = meter.createCounter("a2a.client.requests", { description: "Calls made, by method and outcome", unit: "{request}" });
    this.#duration = meter.createHistogram("a2a.client.request.duration", { description: "Time from sending a call to its outcome", unit: "s" });
    this.#reconnects = meter.createCounter("a2a.client.reconnects", { description: "Reconnections of the client's own connection", unit: "{reconnect}" });
  }

  /** Counts reconnections of a transport the client owns. */
  watch(transport: Transport): () => void {
    return transport.on("connected", (event) => {
      if (!event.reconnected) return;
      this.#reconnects.add(1);
      this.logger.info({ clientId: transport.clientId, sessionPresent: event.sessionPresent }, "Reconnected to the broker");
    });
  }

  /** Starts the span of a call from the active context. */
  begin(call: SpannedCall, topic: string): CallSpan {
    const { agent: agentId, method, id: requestId } = call;
    const span = this.#tracer.startSpan(`${agentId}/${method}`, { kind: SpanKind.CLIENT }, context.active());
    if (span.isRecording()) {
      span.setAttributes({
        "rpc.system": "jsonrpc",
        "rpc.service": agentId,
        "rpc.method": method,
        "rpc.jsonrpc.version": "2.0",
        "rpc.jsonrpc.request_id": requestId,
        "messaging.system": "mqtt",
        "messaging.destination.name": topic,
        "messaging.operation.type": "send",
        "a2a.agent.id": agentId,
      });
    }
    return new CallSpan(this, span, call);
  }

  ended(call: CallSpan, error: unknown, result: unknown): void {
    const { span } = call;
    const method = call.attributes["rpc.method"] as string;
    const outcome = error === undefined ? "ok" : error instanceof A2AProtocolError ? String(error.code) : error instanceof A2AClientError ? error.code : "error";
    const attributes = outcome === "ok" ? call.attributes : this.metricAttributes(method, outcome);
    this.#calls.add(1, attributes);
    this.#duration.record((performance.now() - call.started) / 1000, attributes);
    if (span.isRecording()) {
      const task = taskOf(result);
      if (task !== undefined) span.setAttributes({ "a2a.task.id": task.id, "a2a.task.state": task.status.state });
      if (error !== undefined) {
        const message = error instanceof Error ? error.message : typeof error === "string" ? error : "a failure that is not an Error";
        span.setAttribute("error.type", outcome);
        if (error instanceof A2AProtocolError) span.setAttributes({ "rpc.jsonrpc.error_code": error.code, "rpc.jsonrpc.error_message": error.message });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
      }
    }
    span.end();
    if (error !== undefined) {
      this.logger.debug(
        { agentId: call.agentId, method, requestId: call.requestId, ...(span.spanContext() === INVALID_SPAN_CONTEXT ? {} : { traceId: span.spanContext().traceId }), err: error },
        `${method} to ${call.agentId} failed`,
      );
    }
  }

  /** The metric attributes of a method and outcome, made once per pair. */
  metricAttributes(method: string, outcome: string): Attributes {
    if (outcome === "ok") {
      let ok = this.#ok.get(method);
      if (ok === undefined) {
        ok = { "rpc.method": method, "a2a.outcome": "ok" };
        if (this.#ok.size < 256) this.#ok.set(method, ok);
      }
      return ok;
    }
    const key = `${method}\u0000${outcome}`;
    let attrs = this.#outcomes.get(key);
    if (attrs === undefined) {
      attrs = { "rpc.method": method, "a2a.outcome": outcome === "ok" ? "ok" : "error" };
      if (outcome !== "ok") attrs["error.type"] = outcome;
      if (this.#outcomes.size < 256) this.#outcomes.set(key, attrs);
    }
    return attrs;
  }
}

/** The task a result holds (SendMessage's `{ task }`, a Task itself, a stream event). */
function taskOf(result: unknown): { id: string; status: { state: string } } | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  if ("statusUpdate" in result) {
    const update = (result as { statusUpdate: { taskId?: unknown; status?: { state?: unknown } } }).statusUpdate;
    return typeof update.taskId === "string" && typeof update.status?.state === "string" ? { id: update.taskId, status: { state: update.status.state } } : undefined;
  }
  const candidate = "task" in result ? result.task : result;
  if (typeof candidate !== "object" || candidate === null) return undefined;
  const task = candidate as { id?: unknown; status?: { state?: unknown } };
  return typeof task.id === "string" && typeof task.status?.state === "string" ? (task as { id: string; status: { state: string } }) : undefined;
}
