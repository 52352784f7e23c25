import type { Attributes, Counter, Histogram, Meter } from "@opentelemetry/api";
import type { AgentStats } from "@a2a/transport/binding";
import { ATTR } from "./attributes.js";

export type { AgentStats };

/** What an agent reports of itself: the OpenTelemetry gauges and the stats snapshot read it. */
export interface AgentGauges {
  /** Tasks whose handler holds an execution slot. */
  running(): number;
  /** Tasks waiting for a slot. */
  queued(): number;
  /** Bytes of the agent's memory budget in use, when it has one. */
  memoryUsed?: () => number | undefined;
}

/** Bounds the distinct values counted by method, so hostile method names cannot grow it. */
const MAX_METHODS = 32;

/**
 * The agent's instruments (OpenTelemetry metrics API; no-ops unless a meter provider
 * is registered) and the plain counters of {@link AgentStats}. Attribute objects are
 * made once per distinct value and reused: recording costs no allocation.
 */
export class AgentMetrics {
  readonly #requests: Counter;
  readonly #taskDuration: Histogram;
  readonly #push: Counter;
  readonly #reconnects: Counter;
  readonly #attributes = new Map<string, Attributes>();
  /** Request attributes by method, then by outcome ("ok" or the error code). */
  readonly #requestAttrs = new Map<string, Map<string | number, Attributes>>();
  /** Task attributes by skill, then by final state. */
  readonly #taskAttrs = new Map<string, Map<string, Attributes>>();
  readonly #started = Date.now();
  readonly #stats = { ok: 0, error: 0, delivered: 0, failed: 0, reconnects: 0 };
  readonly #byMethod = new Map<string, number>();
  readonly #tasks = new Map<string, number>();
  readonly #gauges: AgentGauges;

  constructor(meter: Meter, gauges: AgentGauges, agentId: string) {
    this.#gauges = gauges;
    this.#requests = meter.createCounter("a2a.agent.requests", { description: "Requests served, by method and outcome", unit: "{request}" });
    this.#taskDuration = meter.createHistogram("a2a.agent.task.duration", { description: "Time from a task's start to its end, by skill and final state", unit: "s" });
    this.#push = meter.createCounter("a2a.agent.push.deliveries", { description: "Push notification delivery attempts, by outcome", unit: "{attempt}" });
    this.#reconnects = meter.createCounter("a2a.agent.reconnects", { description: "Reconnections to the broker", unit: "{reconnect}" });
    const base = { [ATTR.agentId]: agentId };
    meter
      .createObservableGauge("a2a.agent.tasks.running", { description: "Tasks holding an execution slot", unit: "{task}" })
      .addCallback((result) => result.observe(gauges.running(), base));
    meter
      .createObservableGauge("a2a.agent.tasks.queued", { description: "Tasks waiting for an execution slot", unit: "{task}" })
      .addCallback((result) => result.observe(gauges.queued(), base));
    meter
      .createObservableGauge("a2a.agent.memory.used", { description: "Bytes of the agent's memory budget in use", unit: "By" })
      .addCallback((result) => {
        const used = gauges.memoryUsed?.();
        if (used !== undefined) result.observe(used, base);
      });
    this.#base = base;
  }

  readonly #base: Attributes;

  request(method: string, errorCode: number | undefined): void {
    if (errorCode === undefined) this.#stats.ok++;
    else this.#stats.error++;
    if (this.#byMethod.has(method) || this.#byMethod.size < MAX_METHODS) this.#byMethod.set(method, (this.#byMethod.get(method) ?? 0) + 1);
    // Looked up without building a key or a closure: every request passes here.
    let byOutcome = this.#requestAttrs.get(method);
    if (byOutcome === undefined) {
      byOutcome = new Map();
      if (this.#requestAttrs.size < MAX_METHODS) this.#requestAttrs.set(method, byOutcome);
    }
    const outcome = errorCode ?? "ok";
    let attrs = byOutcome.get(outcome);
    if (attrs === undefined) {
      attrs = { ...this.#base, [ATTR.rpcMethod]: method, [ATTR.outcome]: errorCode === undefined ? "ok" : "error" };
      if (errorCode !== undefined) attrs[ATTR.jsonRpcErrorCode] = errorCode;
      // Error codes come from a known set; the bound is a safety net.
      if (byOutcome.size < 64) byOutcome.set(outcome, attrs);
    }
    this.#requests.add(1, attrs);
  }

  taskEnded(skillId: string, state: string, seconds: number): void {
    this.#tasks.set(state, (this.#tasks.get(state) ?? 0) + 1);
    let byState = this.#taskAttrs.get(skillId);
    if (byState === undefined) {
      byState = new Map();
      if (this.#taskAttrs.size < 1024) this.#taskAttrs.set(skillId, byState);
    }
    let attrs = byState.get(state);
    if (attrs === undefined) byState.set(state, (attrs = { ...this.#base, [ATTR.skillId]: skillId, [ATTR.taskState]: state }));
    this.#taskDuration.record(seconds, attrs);
  }

  pushAttempt(delivered: boolean, target: string): void {
    if (delivered) this.#stats.delivered++;
    else this.#stats.failed++;
    const outcome = delivered ? "delivered" : "failed";
    this.#push.add(1, this.#attrs(`p\u0000${target}\u0000${outcome}`, () => ({ ...this.#base, [ATTR.pushTarget]: target, [ATTR.outcome]: outcome })));
  }

  reconnected(): void {
    this.#stats.reconnects++;
    this.#reconnects.add(1, this.#base);
  }

  snapshot(): AgentStats {
    const stats: AgentStats = {
      at: new Date().toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.#started) / 1000),
      requests: { ok: this.#stats.ok, error: this.#stats.error },
      byMethod: Object.fromEntries(this.#byMethod),
      tasks: Object.fromEntries(this.#tasks),
      running: this.#gauges.running(),
      queued: this.#gauges.queued(),
      push: { delivered: this.#stats.delivered, failed: this.#stats.failed },
      reconnects: this.#stats.reconnects,
    };
    const memory = this.#gauges.memoryUsed?.();
    if (memory !== undefined) stats.memoryUsedBytes = memory;
    return stats;
  }

  #attrs(key: string, make: () => Attributes): Attributes {
    let attrs = this.#attributes.get(key);
    if (attrs === undefined) {
      attrs = make();
      // Method names and skill ids come from known sets; the bound is a safety net.
      if (this.#attributes.size < 1024) this.#attributes.set(key, attrs);
    }
    return attrs;
  }
}
