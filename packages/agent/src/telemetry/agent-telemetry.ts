import {
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  metrics,
  trace,
  type Context,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from "@opentelemetry/api";
import { isTerminalState, normalizeMethod } from "@a2a/schema";
import type { Logger, LogFields, Transport } from "@a2a/transport";
import { errorText } from "@a2a/transport";
import { AGENT_STATS_METHOD, type DecodedRequest, type JsonRpcErrorObject } from "@a2a/transport/binding";
import type { PushAttempt, PushDelivery } from "../push/push-notifier.js";
import type { LiveTask } from "../live-task.js";
import { AgentMetrics, type AgentGauges, type AgentStats } from "./agent-metrics.js";
import { ATTR, MESSAGING_SYSTEM, RPC_SYSTEM, SCOPE_NAME } from "./attributes.js";
import { remoteContext } from "./remote-context.js";

export interface AgentTelemetryOptions {
  /** `org/agent`. */
  agentId: string;
  tasksTopic: string;
  /** @default the global tracer provider (a no-op until the application registers an SDK) */
  tracerProvider?: TracerProvider | undefined;
  /** @default the global meter provider */
  meterProvider?: MeterProvider | undefined;
  logger: Logger;
  gauges: AgentGauges;
}

/** Told of the error replies of one request (the JSON-RPC error it was answered with). */
export interface ReplyObserver {
  errorReplied(error: JsonRpcErrorObject): void;
}

/** What the task manager tells about each task's life. */
export interface TaskObserver {
  /** A task was created, in the context of the request that created it. */
  created(live: LiveTask): void;
  /** Runs the task's handler with the task's span as the active context. */
  run<T>(live: LiveTask, handler: () => T): T;
  /** The task's handler settled (or it ended while queued). */
  ended(live: LiveTask): void;
}

/** One request being served: its span (maybe non-recording) and its outcome. */
class RequestObservation implements ReplyObserver {
  errorCode: number | undefined;
  errorMessage: string | undefined;

  constructor(
    readonly span: Span,
    readonly method: string,
  ) {}

  errorReplied(error: JsonRpcErrorObject): void {
    // A stream answers its first error and stops; a unary call has one reply.
    if (this.errorCode !== undefined) return;
    this.errorCode = error.code;
    this.errorMessage = error.message;
  }
}

/** The tracer provider behind the global proxy while none is registered. */
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
/** The span of a request or task while nothing traces: the no-op tracer's, made once. */
const UNTRACED_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/** The span of a task that has one (a task with nothing to trace or continue has no entry). */
interface TaskRun {
  span: Span;
  /** The span has a valid context to pass on (recording, or carrying the caller's trace). */
  traced: boolean;
  context: Context;
}

/**
 * An agent's traces, metrics and logs. Spans: one SERVER span per request
 * (`{org}/{agent}/{method}`), its parent the caller's span named by the request's
 * `traceparent`; one CONSUMER span per task run (`task {skill}`), whose context is the
 * active one inside the skill handler, so calls the handler makes to other agents
 * continue the trace; one PRODUCER span per push delivery attempt. With no tracer
 * provider registered, spans are non-recording and nothing but a trace context a
 * request brought is passed on.
 */
export class AgentTelemetry implements TaskObserver {
  readonly logger: Logger;
  readonly metrics: AgentMetrics;
  readonly #tracer: Tracer;
  /** The tracer provider given in the options (else the global one is used). */
  readonly #givenTracer: boolean;
  readonly #agentId: string;
  readonly #tasksTopic: string;
  readonly #tasks = new WeakMap<LiveTask, TaskRun>();
  /** Live tasks' spans by id, for the push deliveries of their events. */
  readonly #byTaskId = new Map<string, TaskRun>();
  /** What log lines written inside a span should name (its request or task). */
  readonly #spanFields = new WeakMap<Span, LogFields>();
  /** The request being dispatched right now (synchronously), for tasks it creates. */
  #dispatching: Context | undefined;

  constructor(options: AgentTelemetryOptions) {
    this.#agentId = options.agentId;
    this.#tasksTopic = options.tasksTopic;
    this.logger = options.logger;
    this.#tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME);
    this.#givenTracer = options.tracerProvider !== undefined;
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME);
    this.metrics = new AgentMetrics(meter, options.gauges, options.agentId);
  }

  /** Counts reconnections of the agent's transport; returns the unsubscribe. */
  watch(transport: Transport): () => void {
    return transport.on("connected", (event) => {
      if (!event.reconnected) return;
      this.metrics.reconnected();
      this.logger.info({ agentId: this.#agentId, sessionPresent: event.sessionPresent }, "Reconnected to the broker");
    });
  }

  stats(): AgentStats {
    return this.metrics.snapshot();
  }

  /** Reports a failure no request can be told about, with the ids of the active span. */
  readonly reportError = (error: unknown): void => {
    this.logger.error(this.fields({ err: error }), errorText(error));
  };

  /** Log fields naming this agent and the active trace. */
  fields(extra: LogFields = {}): LogFields {
    const span = trace.getSpan(context.active());
    const out: LogFields = { agentId: this.#agentId, ...(span === undefined ? undefined : this.#spanFields.get(span)), ...extra };
    const spanContext = span?.spanContext();
    if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) {
      out.traceId = spanContext.traceId;
      out.spanId = spanContext.spanId;
    }
    return out;
  }

  /**
   * Serves one decoded request inside its span: `run` is called with the observer its
   * replier reports error replies to; the span ends when the returned work settles.
   */
  serve(decoded: DecodedRequest, run: (observer: ReplyObserver) => Promise<void>): Promise<void> {
    const method = decoded.kind === "jsonrpc" ? methodName(decoded.request.method) : decoded.kind === "compact" ? "SendMessage" : "_OTHER";
    const parent = remoteContext(decoded.serviceParams);
    // Nothing to trace and no trace to pass on: no span is made (the no-op tracer's would be this one).
    const span = parent === ROOT_CONTEXT && this.#untraced() ? UNTRACED_SPAN : this.#tracer.startSpan(`${this.#agentId}/${method}`, { kind: SpanKind.SERVER }, parent);
    const observation = new RequestObservation(span, method);
    if (decoded.kind === "invalid") observation.errorReplied(decoded.error);
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.rpcSystem]: RPC_SYSTEM,
        [ATTR.rpcService]: this.#agentId,
        [ATTR.rpcMethod]: method,
        [ATTR.jsonRpcVersion]: "2.0",
        [ATTR.messagingSystem]: MESSAGING_SYSTEM,
        [ATTR.messagingDestination]: this.#tasksTopic,
        [ATTR.messagingOperation]: "process",
        [ATTR.agentId]: this.#agentId,
      });
      const id = decoded.kind === "jsonrpc" ? decoded.request.id : decoded.kind === "invalid" ? decoded.id : decoded.request.id;
      if (typeof id === "string" || typeof id === "number") {
        span.setAttribute(ATTR.jsonRpcRequestId, String(id));
        this.#spanFields.set(span, { requestId: id, method });
      }
    }
    let work: Promise<void>;
    if (!isTraced(span)) work = run(observation);
    else {
      const active = trace.setSpan(parent, span);
      this.#dispatching = active;
      try {
        work = context.with(active, run, undefined, observation);
      } finally {
        this.#dispatching = undefined;
      }
    }
    return work.then(
      () => this.#served(observation),
      (error: unknown) => {
        this.#served(observation, error);
        throw error;
      },
    );
  }

  #served(observation: RequestObservation, thrown?: unknown): void {
    const { span, errorCode } = observation;
    this.metrics.request(observation.method, errorCode ?? (thrown === undefined ? undefined : -32603));
    if (span.isRecording()) {
      if (errorCode !== undefined) {
        span.setAttributes({ [ATTR.jsonRpcErrorCode]: errorCode, [ATTR.errorType]: String(errorCode) });
        if (observation.errorMessage !== undefined) span.setAttribute(ATTR.jsonRpcErrorMessage, observation.errorMessage);
        span.setStatus({ code: SpanStatusCode.ERROR, message: observation.errorMessage ?? `JSON-RPC error ${errorCode}` });
      } else if (thrown !== undefined) {
        span.recordException(thrown instanceof Error ? thrown : errorText(thrown));
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorText(thrown) });
      }
    }
    span.end();
    if (errorCode !== undefined) {
      this.logger.debug(
        { agentId: this.#agentId, method: observation.method, code: errorCode, ...this.#spanFields.get(span), ...traceFields(span) },
        `Answered with error ${errorCode}: ${observation.errorMessage}`,
      );
    }
  }

  // ---- tasks ----

  created(live: LiveTask): void {
    const active = context.active();
    const parent = trace.getSpan(active) === undefined ? (this.#dispatching ?? active) : active;
    // Nothing to trace and no trace to continue: the task needs no span, nor an entry here
    // (its duration is the task's own, `createdMs`).
    if (parent === ROOT_CONTEXT && this.#untraced()) return;
    const span = this.#tracer.startSpan(`task ${live.skill.id}`, { kind: SpanKind.CONSUMER }, parent);
    if (span.isRecording()) {
      span.setAttributes({
        [ATTR.agentId]: this.#agentId,
        [ATTR.taskId]: live.task.id,
        [ATTR.skillId]: live.skill.id,
        [ATTR.messagingSystem]: MESSAGING_SYSTEM,
        [ATTR.messagingDestination]: this.#tasksTopic,
        [ATTR.messagingOperation]: "process",
      });
      this.#spanFields.set(span, { taskId: live.task.id, skillId: live.skill.id });
    }
    const traced = isTraced(span);
    const run: TaskRun = { span, traced, context: traced ? trace.setSpan(parent, span) : parent };
    this.#tasks.set(live, run);
    // Push deliveries continue a task's context; a task in the root context has none to continue.
    if (traced || parent !== ROOT_CONTEXT) this.#byTaskId.set(live.task.id, run);
  }

  /** True while no tracer provider is given or registered: every span would be a no-op. */
  #untraced(): boolean {
    if (this.#givenTracer) return false;
    const provider = trace.getTracerProvider();
    return provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_TRACER_PROVIDER;
  }

  run<T>(live: LiveTask, handler: () => T): T {
    const run = this.#tasks.get(live);
    if (run === undefined || !run.traced) return handler();
    return context.with(run.context, handler);
  }

  ended(live: LiveTask): void {
    const run = this.#tasks.get(live);
    if (run !== undefined) {
      this.#tasks.delete(live);
      if (this.#byTaskId.get(live.task.id) === run) this.#byTaskId.delete(live.task.id);
    }
    const state = live.task.status.state;
    this.metrics.taskEnded(live.skill.id, shortState(state), (performance.now() - live.createdMs) / 1000);
    const span = run?.span ?? UNTRACED_SPAN;
    if (span.isRecording()) {
      span.setAttribute(ATTR.taskState, state);
      if (state === "TASK_STATE_FAILED") {
        const text = live.task.status.message?.parts.find((p) => "text" in p) as { text?: string } | undefined;
        span.setStatus({ code: SpanStatusCode.ERROR, message: text?.text ?? "The task failed" });
      }
    }
    span.end();
    if (state === "TASK_STATE_FAILED") {
      this.logger.info({ agentId: this.#agentId, taskId: live.task.id, skillId: live.skill.id, ...traceFields(span) }, "Task failed");
    } else if (!isTerminalState(state)) {
      this.logger.warn({ agentId: this.#agentId, taskId: live.task.id, state }, "Task handler ended before its task did");
    }
  }

  // ---- push ----

  /** Wraps the delivery attempts of one push config in spans and counts them. */
  observePush(delivery: PushDelivery): PushAttempt {
    const { taskId, configId, target, attempt } = delivery;
    const parent = this.#byTaskId.get(taskId)?.context ?? context.active();
    return async (body, signal) => {
      const span = this.#tracer.startSpan(`push ${target}`, { kind: SpanKind.PRODUCER }, parent);
      if (span.isRecording()) {
        span.setAttributes({ [ATTR.agentId]: this.#agentId, [ATTR.taskId]: taskId, [ATTR.pushConfigId]: configId, [ATTR.pushTarget]: target });
      }
      const result = await attempt(body, signal);
      this.metrics.pushAttempt(result.ok, target);
      if (!result.ok) {
        if (span.isRecording()) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error.message });
        this.logger.debug({ agentId: this.#agentId, taskId, configId, retry: result.retry, ...traceFields(span) }, `Push delivery failed: ${result.error.message}`);
      }
      span.end();
      return result;
    };
  }
}

const shortStates = new Map<string, string>();

/** `completed` for `TASK_STATE_COMPLETED`; made once per state. */
function shortState(state: string): string {
  let short = shortStates.get(state);
  if (short === undefined) {
    short = state.replace(/^TASK_STATE_/, "").toLowerCase();
    if (shortStates.size < 32) shortStates.set(state, short);
  }
  return short;
}

/** The 1.0 name of a method; `_OTHER` (the conventions' word) for unknown ones, so hostile names add no series. */
function methodName(method: string): string {
  return normalizeMethod(method) ?? (method === AGENT_STATS_METHOD ? method : "_OTHER");
}

/** True when a span's context is worth making active: the no-op path compares one reference. */
function isTraced(span: Span): boolean {
  const sc = span.spanContext();
  return sc !== INVALID_SPAN_CONTEXT && trace.isSpanContextValid(sc);
}

/** `traceId` and `spanId` of a span that has them (none for the no-op path). */
function traceFields(span: Span): { traceId?: string; spanId?: string } {
  if (!isTraced(span)) return {};
  const sc = span.spanContext();
  return { traceId: sc.traceId, spanId: sc.spanId };
}
