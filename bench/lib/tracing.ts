/**
 * What "tracing on" means in the benchmark: the OpenTelemetry SDK as an application
 * would set it up (a tracer provider with a batch span processor, a meter provider
 * with a reader, the AsyncLocalStorage context manager), exporting to nowhere, so the
 * figures show what the instrumentation costs, not an exporter's network.
 */
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { AggregationTemporality, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";

class DiscardingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: { code: 0 }) => void): void {
    this.exported += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

class IdleReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface Telemetry {
  tracerProvider: BasicTracerProvider;
  meterProvider: MeterProvider;
  /** Spans handed to the exporter so far (proof that spans were made). */
  exported(): number;
  shutdown(): Promise<void>;
}

let contextUsers = 0;

/** Providers for one side (client or agent); the context manager is global and shared. */
export function startTelemetry(): Telemetry {
  if (contextUsers++ === 0) context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new DiscardingExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  return {
    tracerProvider,
    meterProvider,
    exported: () => exporter.exported,
    async shutdown() {
      await tracerProvider.forceFlush();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      if (--contextUsers === 0) context.disable();
    },
  };
}
