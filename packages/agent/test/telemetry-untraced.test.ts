import { trace } from "@opentelemetry/api";
import { AggregationTemporality, MeterProvider, MetricReader, type Histogram } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  trace.disable();
});

/** A reader collected on demand. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

describe("telemetry without a tracer provider", () => {
  it("makes no spans while none is registered, and traces once one is registered later", async () => {
    h = await harness((agent) => agent.skill({ id: "echo", handler: () => "ok" }));
    const untraced = await h.client.call("SendMessage", textMessage("before"));
    expect(untraced.error).toBeUndefined();
    expect(h.agent.stats().requests.ok).toBe(1);

    const exporter = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const traced = await h.client.call("SendMessage", textMessage("after"));
    expect(traced.error).toBeUndefined();
    const names = exporter.getFinishedSpans().map((s) => s.name);
    expect(names).toContain("org/agent/SendMessage");
    expect(names).toContain("task echo");
    expect(h.agent.stats().requests.ok).toBe(2);
  });

  it("still records each task's duration, from its creation to its end", async () => {
    const reader = new TestReader();
    h = await harness(
      (agent) =>
        agent.skill({
          id: "slow",
          handler: async () => {
            await new Promise((resolve) => setTimeout(resolve, 30));
            return "ok";
          },
        }),
      { meterProvider: new MeterProvider({ readers: [reader] }) },
    );
    const reply = await h.client.call("SendMessage", textMessage("go"));
    expect(reply.error).toBeUndefined();
    const { resourceMetrics } = await reader.collect();
    const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === "a2a.agent.task.duration");
    const point = metric?.dataPoints[0];
    expect(point?.attributes["a2a.task.state"]).toBe("completed");
    const histogram = point?.value as Histogram | undefined;
    expect(histogram?.count).toBe(1);
    expect(histogram?.sum).toBeGreaterThanOrEqual(0.025);
  });
});
