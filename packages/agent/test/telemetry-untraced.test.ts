import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterEach, describe, expect, it } from "vitest";
import { harness, textMessage, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  trace.disable();
});

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
});
