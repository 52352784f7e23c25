import type { Contender } from "../contenders/contender.js";
import type { PayloadKind } from "../lib/payloads.js";
import { summarize, type LatencySummary } from "../lib/stats.js";
import { runPool } from "./pool.js";

export type Mode = "sequential" | "concurrent";

export interface RoundTripResult {
  workload: string;
  contender: string;
  operation: "send" | "stream";
  payload: PayloadKind;
  mode: Mode;
  inFlight: number;
  count: number;
  truncated: boolean;
  /** Completed operations per second. */
  throughput: number;
  latency: LatencySummary;
}

export interface RoundTripOptions {
  operation: "send" | "stream";
  payload: PayloadKind;
  mode: Mode;
  count: number;
  warmup: number;
  /** Operations outstanding at once in the concurrent mode. */
  inFlight: number;
  budgetMs: number;
}

export function workloadKey(o: Pick<RoundTripOptions, "operation" | "payload" | "mode">): string {
  return `${o.operation}/${o.payload}/${o.mode}`;
}

/** The operation of `o` on `contender`; a stream's event count goes to `events`. */
function operationOf(contender: Contender, o: RoundTripOptions, events: Set<number>): () => Promise<unknown> {
  if (o.operation === "send") return () => contender.send(o.payload);
  return async () => {
    events.add(await contender.stream(o.payload));
  };
}

/**
 * Measures several contenders on one workload in turns: each warms up, then they take
 * `rounds` turns of `count / rounds` operations each, one after the other, so that a
 * change of the machine's load during the run hits them alike. A contender's figures
 * pool its turns (all latencies; operations over the time of its turns). A contender
 * that fails is left out of the later turns and comes back as its error.
 */
export async function roundTripsInTurns(
  contenders: readonly Contender[],
  o: RoundTripOptions & { rounds: number },
): Promise<Array<RoundTripResult | { contender: Contender; error: unknown }>> {
  const inFlight = o.mode === "sequential" ? 1 : o.inFlight;
  const key = workloadKey(o);
  interface Turns {
    contender: Contender;
    events: Set<number>;
    latencies: number[];
    elapsedMs: number;
    truncated: boolean;
    error: unknown;
  }
  const state = contenders.map((contender): Turns => ({ contender, events: new Set(), latencies: [], elapsedMs: 0, truncated: false, error: undefined }));
  const perTurn = Math.max(1, Math.ceil(o.count / o.rounds));
  const turnBudgetMs = o.budgetMs / o.rounds;
  for (const s of state) {
    try {
      await runPool({ label: `${s.contender.label} ${key} warm-up`, total: o.warmup, inFlight, budgetMs: o.budgetMs }, operationOf(s.contender, o, s.events));
    } catch (error) {
      s.error = error;
    }
  }
  for (let round = 0; round < o.rounds; round++) {
    for (const s of state) {
      if (s.error !== undefined || s.truncated) continue;
      const label = o.rounds === 1 ? `${s.contender.label} ${key}` : `${s.contender.label} ${key} (turn ${round + 1} of ${o.rounds})`;
      try {
        const run = await runPool({ label, total: perTurn, inFlight, budgetMs: turnBudgetMs }, operationOf(s.contender, o, s.events));
        for (const latency of run.latencies) s.latencies.push(latency);
        s.elapsedMs += run.elapsedMs;
        s.truncated = run.truncated;
      } catch (error) {
        s.error = error;
      }
    }
  }
  return state.map((s) => {
    if (s.error !== undefined) return { contender: s.contender, error: s.error };
    if (s.events.size > 1) {
      const error = new Error(`${s.contender.label}: streams ended after differing event counts ${[...s.events].join(", ")}`);
      return { contender: s.contender, error };
    }
    return {
      workload: key,
      contender: s.contender.id,
      operation: o.operation,
      payload: o.payload,
      mode: o.mode,
      inFlight,
      count: s.latencies.length,
      truncated: s.truncated,
      throughput: s.latencies.length / (s.elapsedMs / 1000),
      latency: summarize(s.latencies),
    };
  });
}

/** Warms up, then measures one contender on one workload (in one turn). */
export async function roundTrip(contender: Contender, o: RoundTripOptions): Promise<RoundTripResult> {
  const [measured] = await roundTripsInTurns([contender], { ...o, rounds: 1 });
  if (measured === undefined || "error" in measured) throw measured?.error;
  return measured;
}
