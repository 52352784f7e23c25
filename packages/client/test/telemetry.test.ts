import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { A2AAgent, InMemoryTaskStore } from "@a2a/agent";
import { A2AClient, A2AProtocolError, type LogFields, type Logger } from "@a2a/client";
import { waitFor } from "@a2a/testing";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

/** A reader collected on demand. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

interface Line {
  level: string;
  fields: LogFields;
  message: string;
}

function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (fields: LogFields, message: string) => lines.push({ level, fields, message });
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

async function points(reader: TestReader, name: string): Promise<DataPoint<unknown>[]> {
  const { resourceMetrics } = await reader.collect();
  for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) if (metric.descriptor.name === name) return metric.dataPoints;
  return [];
}

describe("agent and client telemetry", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  // Keeps the active span across awaits, as an application's SDK setup does.
  beforeAll(() => void context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  afterAll(() => context.disable());

  async function setup(options: { failingStore?: boolean } = {}) {
    const reader = new TestReader();
    const meterProvider = new MeterProvider({ readers: [reader] });
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const lines: Line[] = [];
    const broker = new InMemoryBroker();
    const agentTransport = new InMemoryTransport({ broker, clientId: "agent-conn" });
    let budget = 4096;
    const store = new InMemoryTaskStore();
    const failing = options.failingStore === true;
    const agent = new A2AAgent({
      taskStore: {
        get: (id) => store.get(id),
        list: (filter) => store.list(filter),
        delete: (id) => store.delete(id),
        save: async (task) => {
          if (failing && task.status.state === "TASK_STATE_FAILED") throw new Error("disk full");
          return store.save(task);
        },
      },
      orgId: "acme",
      agentId: "bot",
      name: "Bot",
      description: "Answers",
      broker: agentTransport,
      meterProvider,
      tracerProvider,
      logger: recordingLogger(lines),
      memoryUsed: () => budget,
    });
    agent.skill({
      id: "answer",
      name: "Answer",
      description: "Answers or fails",
      input: z.object({ fail: z.boolean().optional() }),
      handler: (input) => {
        if (input.fail) throw new Error("cannot answer");
        return "42";
      },
    });
    await agentTransport.connect();
    await agent.start();
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, clientId: "client-1" }), meterProvider, tracerProvider, logger: recordingLogger(lines) });
    cleanups.push(async () => {
      await client.close();
      await agent.stop();
      await agentTransport.close();
    });
    return { agent, client, broker, reader, exporter, lines, setBudget: (n: number) => (budget = n) };
  }

  it("counts requests by method and outcome, task durations by skill and state, and reads the gauges", async () => {
    const { agent, client, reader, setBudget } = await setup();
    const bot = client.agent("acme/bot");
    await bot.sendMessage({ message: { messageId: "m1", role: "ROLE_USER", parts: [{ data: {} }] } });
    await bot.sendMessage({ message: { messageId: "m2", role: "ROLE_USER", parts: [{ data: { fail: true } }] } });
    expect(await bot.getTask("missing").catch((e: unknown) => e)).toBeInstanceOf(A2AProtocolError);
    setBudget(1234);
    // A request is counted once its reply is acknowledged, which may be after the client has it.
    await waitFor(() => agent.stats().requests.error === 1, { message: "the GetTask error counted" });

    const requests = await points(reader, "a2a.agent.requests");
    const count = (method: string, outcome: string) =>
      requests.filter((p) => p.attributes["rpc.method"] === method && p.attributes["a2a.outcome"] === outcome).reduce((n, p) => n + (p.value as number), 0);
    expect(count("SendMessage", "ok")).toBe(2);
    expect(count("GetTask", "error")).toBe(1);
    expect(requests.find((p) => p.attributes["rpc.method"] === "GetTask")?.attributes["rpc.jsonrpc.error_code"]).toBe(-32001);

    const durations = await points(reader, "a2a.agent.task.duration");
    const states = durations.map((p) => [p.attributes["a2a.skill.id"], p.attributes["a2a.task.state"], (p.value as Histogram).count]);
    expect(states).toEqual(expect.arrayContaining([["answer", "completed", 1], ["answer", "failed", 1]]));

    expect((await points(reader, "a2a.agent.tasks.running"))[0]?.value).toBe(0);
    expect((await points(reader, "a2a.agent.tasks.queued"))[0]?.value).toBe(0);
    expect((await points(reader, "a2a.agent.memory.used"))[0]?.value).toBe(1234);

    const calls = await points(reader, "a2a.client.requests");
    expect(calls.find((p) => p.attributes["rpc.method"] === "GetTask")?.attributes["error.type"]).toBe("-32001");

    const stats = agent.stats();
    expect(stats).toEqual(
      expect.objectContaining({
        requests: { ok: 2, error: 1 },
        byMethod: { SendMessage: 2, GetTask: 1 },
        tasks: { completed: 1, failed: 1 },
        running: 0,
        queued: 0,
        memoryUsedBytes: 1234,
        reconnects: 0,
      }),
    );
  });

  it("passes the trace on through an agent that has no SDK", async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const broker = new InMemoryBroker();
    const start = async (agent: A2AAgent, transport: InMemoryTransport) => {
      await transport.connect();
      await agent.start();
      cleanups.push(async () => {
        await agent.stop();
        await transport.close();
      });
    };
    // b: traced. a: no tracer provider (the global no-op one), calling b from its handler.
    const bTransport = new InMemoryTransport({ broker, clientId: "b-conn" });
    const b = new A2AAgent({ orgId: "acme", agentId: "b", name: "B", description: "traced", broker: bTransport, tracerProvider });
    b.registerTool(function shout(params) {
      return String(params.message).toUpperCase();
    });
    await start(b, bTransport);
    const aTransport = new InMemoryTransport({ broker, clientId: "a-conn" });
    const a = new A2AAgent({ orgId: "acme", agentId: "a", name: "A", description: "untraced", broker: aTransport });
    const aClient = new A2AClient({ broker: aTransport, discovery: false });
    a.registerTool(async function relay(params) {
      return aClient.agent("acme/b").sendText(String(params.message));
    });
    await start(a, aTransport);
    cleanups.push(() => aClient.close());
    const client = new A2AClient({ broker: new InMemoryTransport({ broker, clientId: "c-conn" }), tracerProvider, discovery: false });
    cleanups.push(() => client.close());

    expect(await client.agent("acme/a").sendText("hi")).toBe("HI");
    const spans = exporter.getFinishedSpans();
    const call = spans.find((s) => s.name === "acme/a/SendMessage")!;
    const served = spans.find((s) => s.name === "acme/b/SendMessage" && s.kind === SpanKind.SERVER)!;
    expect(spans.some((s) => s.attributes["a2a.agent.id"] === "acme/a" && s.kind !== SpanKind.CLIENT)).toBe(false);
    expect(served.spanContext().traceId).toBe(call.spanContext().traceId);
    expect(served.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    // Without a memoryUsed option, the stats read the agent's own memory budget.
    expect(b.stats().memoryUsedBytes).toBe(b.memoryBudget.used);
  });

  it("counts reconnections of the agent's connection", async () => {
    const { agent, broker, reader, lines } = await setup();
    broker.dropConnections();
    await waitFor(() => agent.stats().reconnects === 1, { message: "the agent's reconnection counted" });
    expect((await points(reader, "a2a.agent.reconnects"))[0]?.value).toBe(1);
    expect(lines.find((l) => l.message === "Reconnected to the broker")?.fields).toEqual(expect.objectContaining({ agentId: "acme/bot" }));
  });

  it("answers a2a-mqtt/GetAgentStats with the agent's counters, unless told not to", async () => {
    const { agent, client } = await setup();
    const bot = client.agent("acme/bot");
    await bot.sendMessage({ message: { messageId: "m9", role: "ROLE_USER", parts: [{ data: {} }] } });
    // A request is counted once its reply is acknowledged, which may be after the client has it.
    await waitFor(() => agent.stats().requests.ok === 1, { message: "the request counted" });
    const stats = await client.agent("acme/bot").getAgentStats();
    expect(stats).toEqual(expect.objectContaining({ tasks: { completed: 1 }, running: 0, queued: 0, memoryUsedBytes: 4096, push: { delivered: 0, failed: 0 } }));
    expect(stats.byMethod.SendMessage).toBe(1);
    expect(Date.parse(stats.at)).not.toBeNaN();

    const broker = new InMemoryBroker();
    const transport = new InMemoryTransport({ broker, clientId: "quiet-agent" });
    const quiet = new A2AAgent({ orgId: "acme", agentId: "quiet", name: "Quiet", description: "No stats", broker: transport, exposeStats: false });
    quiet.registerTool(function echo(params) {
      return String(params.message);
    });
    await transport.connect();
    await quiet.start();
    const other = new A2AClient({ broker: new InMemoryTransport({ broker, clientId: "client-2" }) });
    try {
      const error = await other.agent("acme/quiet").getAgentStats().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(A2AProtocolError);
      expect((error as A2AProtocolError).code).toBe(-32601);
    } finally {
      await other.close();
      await quiet.stop();
      await transport.close();
    }
  });

  it("logs through the given logger with task, request and trace ids, and marks failures on spans", async () => {
    const { client, exporter, lines } = await setup({ failingStore: true });
    const bot = client.agent("acme/bot");
    const failed = await bot.sendMessage({ message: { messageId: "m3", role: "ROLE_USER", parts: [{ data: { fail: true } }] } });
    const taskId = "task" in failed ? failed.task.id : "";
    await bot.getTask("missing").catch(() => undefined);

    const spans = exporter.getFinishedSpans();
    const task = spans.find((s) => s.name === "task answer")!;
    expect(task.status).toEqual({ code: SpanStatusCode.ERROR, message: "cannot answer" });
    expect(task.attributes["a2a.task.id"]).toBe(taskId);
    expect(task.attributes["a2a.task.state"]).toBe("TASK_STATE_FAILED");

    const taskLine = lines.find((l) => l.message === "Task failed")!;
    expect(taskLine.fields).toEqual(expect.objectContaining({ agentId: "acme/bot", taskId, traceId: task.spanContext().traceId }));
    const callLine = lines.find((l) => l.message === "GetTask to acme/bot failed")!;
    const callSpan = spans.find((s) => s.name === "acme/bot/GetTask" && s.kind === SpanKind.CLIENT)!;
    expect(callLine.level).toBe("debug");
    expect(callLine.fields).toEqual(expect.objectContaining({ method: "GetTask", requestId: callSpan.attributes["rpc.jsonrpc.request_id"], traceId: callSpan.spanContext().traceId }));
    // A failure reported while the request is served (here: saving the failed task) names the request and the trace.
    const storeLine = await waitFor(() => lines.find((l) => l.level === "error" && l.message === "disk full"), { message: "the store failure line" });
    expect(storeLine.fields).toMatchObject({ agentId: "acme/bot", method: "SendMessage", traceId: task.spanContext().traceId });
    expect(typeof storeLine.fields.requestId).toBe("string");

    // The agent logs once its reply is acknowledged, which may be after the client has it.
    const replyLine = await waitFor(() => lines.find((l) => l.message.startsWith("Answered with error -32001")), { message: "the agent's error line" });
    expect(replyLine.fields.traceId).toBe(callSpan.spanContext().traceId);
  });
});
