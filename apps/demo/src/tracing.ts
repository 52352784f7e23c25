/**
 * OpenTelemetry for the demo (`--trace`, `--otlp`): what an application using
 * a2a-mqtt sets up. The libraries only use `@opentelemetry/api`; the SDK, the
 * exporter and the context manager are the application's choice.
 */
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";

export interface DemoTracingOptions {
  /** Print each span as it ends (one line each). */
  console?: (line: string) => void;
  /** Send spans by OTLP/HTTP to a collector, e.g. `http://localhost:4318/v1/traces`. */
  otlpUrl?: string;
}

const KINDS: Record<number, string> = { [SpanKind.SERVER]: "server", [SpanKind.CLIENT]: "client", [SpanKind.PRODUCER]: "producer", [SpanKind.CONSUMER]: "consumer" };

/**
 * A console exporter printing one line per span: trace and span ids, parent, name,
 * duration, task state, status. (The SDK's `ConsoleSpanExporter` prints every
 * attribute, some twenty lines a span.)
 */
class LineExporter implements SpanExporter {
  constructor(readonly write: (line: string) => void) {}
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    for (const s of spans) {
      const ms = s.duration[0] * 1000 + s.duration[1] / 1e6;
      const parent = s.parentSpanContext?.spanId ?? "(root)";
      const state = s.attributes["a2a.task.state"];
      const status = s.status.code === SpanStatusCode.ERROR ? ` ERROR ${s.status.message ?? ""}` : "";
      const kind = KINDS[s.kind] ?? "internal";
      this.write(
        `span ${s.spanContext().traceId.slice(0, 8)} ${s.spanContext().spanId} ← ${parent}  ${kind.padEnd(8)} ${s.name} ${ms.toFixed(1)} ms${state ? ` ${String(state)}` : ""}${status}`,
      );
    }
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

/** Registers a global tracer provider and context manager; returns the shutdown (flushes). */
export async function startTracing(options: DemoTracingOptions): Promise<() => Promise<void>> {
  const processors = [];
  if (options.console !== undefined) processors.push(new SimpleSpanProcessor(new LineExporter(options.console)));
  if (options.otlpUrl !== undefined) {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: options.otlpUrl })));
  }
  const provider = new BasicTracerProvider({ spanProcessors: processors });
  // Inside a skill handler the task's span must stay active across awaits, so that the
  // handler's calls to other agents continue the trace: that is the context manager's job.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  };
}
