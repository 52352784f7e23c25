import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { A2AClient, A2AProtocolError } from "@a2a/client";
import { requireMosquitto, startMosquitto, waitFor, type MosquittoHandle } from "@a2a/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runScenario } from "../src/scenario.js";
import { startSupplyChain, type SupplyChain } from "../src/supply-chain.js";
import { Trace } from "../src/trace.js";

// One SDK for the whole file, registered globally as an application would.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const contextManager = new AsyncLocalStorageContextManager().enable();
trace.setGlobalTracerProvider(provider);
context.setGlobalContextManager(contextManager);
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const agentOf = (span: ReadableSpan): unknown => span.attributes["a2a.agent.id"];

/** The spans of one trace, and the chain of ancestors of each. */
function ancestry(spans: ReadableSpan[]): (span: ReadableSpan) => ReadableSpan[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  return (span) => {
    const chain: ReadableSpan[] = [];
    for (let p = parentOf(span); p !== undefined; p = parentOf(byId.get(p)!)) {
      const parent = byId.get(p);
      if (parent === undefined) break;
      chain.push(parent);
    }
    return chain;
  };
}

function suite(name: string, protocolVersion: 4 | 5, brokerUrl: () => string | undefined) {
  describe(`a traced order fulfilment on ${name}`, () => {
    let system: SupplyChain;

    beforeAll(async () => {
      const broker = brokerUrl();
      system = await startSupplyChain({ trace: new Trace({ write: () => undefined, color: false }), ...(broker ? { broker } : {}) });
    });
    afterAll(async () => system?.stop());
    beforeEach(() => exporter.reset());

    it("yields one trace whose spans nest from the customer across the four agents", async () => {
      expect(system.agents[0]!.transport!.capabilities.protocolVersion).toBe(protocolVersion);
      const outcome = await runScenario({ trace: new Trace({ write: () => undefined, color: false }), system });
      expect(outcome.checks.filter((c) => !c.ok)).toEqual([]);

      const spans = exporter.getFinishedSpans();
      // The first fulfil-order task is order SO-1001, fulfilled end to end.
      const order = spans.filter((s) => s.name === "task fulfil-order").sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1])[0]!;
      expect(order).toBeDefined();
      const traceId = order.spanContext().traceId;
      const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
      const chain = ancestry(inTrace);

      // The root: the customer's streaming call to the orchestrator.
      const roots = inTrace.filter((s) => parentOf(s) === undefined);
      expect(roots.map((s) => [s.name, s.kind])).toEqual([["acme/orchestrator/SendStreamingMessage", SpanKind.CLIENT]]);
      // The customer's stream ended at input-required (the substitution question), on the order's task.
      expect(roots[0]!.attributes).toEqual(expect.objectContaining({ "a2a.task.id": order.attributes["a2a.task.id"], "a2a.task.state": "TASK_STATE_INPUT_REQUIRED" }));
      // Every span's parent is in the same trace: nothing dangles.
      for (const span of inTrace) if (parentOf(span) !== undefined) expect(chain(span).at(-1)).toBe(roots[0]);

      // Each agent served requests of this trace; the three delegates' under the order's task.
      const served = inTrace.filter((s) => s.kind === SpanKind.SERVER);
      expect(new Set(served.map(agentOf))).toEqual(new Set(["acme/orchestrator", "acme/inventory", "acme/supplier", "acme/logistics"]));
      for (const span of served.filter((s) => agentOf(s) !== "acme/orchestrator")) {
        const above = chain(span);
        expect(above[0]!.kind).toBe(SpanKind.CLIENT); // the orchestrator's call
        expect(above[0]!.attributes["rpc.service"]).toBe(agentOf(span));
        expect(above).toContain(order);
      }
      // Agent spans nest: request → task run; the delegates' tasks ran inside their requests.
      const checkStock = inTrace.find((s) => s.name === "task check-stock")!;
      expect(chain(checkStock)[0]!.name).toBe("acme/inventory/SendMessage");
      expect(chain(checkStock)[0]!.kind).toBe(SpanKind.SERVER);
      expect(checkStock.kind).toBe(SpanKind.CONSUMER);
      expect(checkStock.attributes).toEqual(
        expect.objectContaining({ "a2a.agent.id": "acme/inventory", "a2a.skill.id": "check-stock", "a2a.task.state": "TASK_STATE_COMPLETED" }),
      );
      expect(inTrace.find((s) => s.name === "task request-quote")).toBeDefined();
      expect(inTrace.find((s) => s.name === "task track-shipment")).toBeDefined();
      // Semantic-convention attributes on a call and on its request.
      const call = chain(checkStock)[1]!;
      expect(call.attributes).toEqual(
        expect.objectContaining({
          "rpc.system": "jsonrpc",
          "rpc.method": "SendMessage",
          "messaging.system": "mqtt",
          "messaging.destination.name": "acme/inventory/tasks",
          "a2a.task.state": "TASK_STATE_COMPLETED",
        }),
      );
      expect(chain(checkStock)[0]!.attributes).toEqual(expect.objectContaining({ "rpc.system": "jsonrpc", "rpc.service": "acme/inventory", "messaging.destination.name": "acme/inventory/tasks" }));

      // Push deliveries (the scenario's webhook) are children of their task's span.
      // (a delivery's span ends once the webhook's answer is read, after the scenario saw the POST)
      const pushes = await waitFor(() => {
        const found = exporter.getFinishedSpans().filter((s) => s.name === "push http");
        return found.length > 0 ? found : undefined;
      }, { message: "a push delivery span" });
      for (const push of pushes) {
        const task = exporter.getFinishedSpans().find((s) => s.spanContext().spanId === parentOf(push));
        expect(task?.name).toMatch(/^task /);
        expect(task?.attributes["a2a.task.id"]).toBe(push.attributes["a2a.task.id"]);
        expect(push.kind).toBe(SpanKind.PRODUCER);
      }
    });

    it("marks an error reply's spans with error status and the JSON-RPC code", async () => {
      const client = new A2AClient({ broker: system.brokerUrl });
      try {
        const error = await client.agent("acme/inventory").getTask("no-such-task").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(A2AProtocolError);
      } finally {
        await client.close();
      }
      const spans = exporter.getFinishedSpans().filter((s) => s.name === "acme/inventory/GetTask");
      const clientSpan = spans.find((s) => s.kind === SpanKind.CLIENT)!;
      const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER)!;
      expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
      for (const span of [clientSpan, serverSpan]) {
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes["rpc.jsonrpc.error_code"]).toBe(-32001);
        expect(span.attributes["error.type"]).toBe("-32001");
      }
    });
  });
}

suite("aedes (MQTT 3.1.1)", 4, () => undefined);

describe.runIf(requireMosquitto())("on mosquitto", () => {
  let mosquitto: MosquittoHandle;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => mosquitto?.close());
  suite("mosquitto (MQTT 5)", 5, () => mosquitto.url);
});
