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

/** Warms up, then measures one contender on one workload. */
export async function roundTrip(contender: Contender, o: RoundTripOptions): Promise<RoundTripResult> {
  const inFlight = o.mode === "sequential" ? 1 : o.inFlight;
  const expectedEvents = new Set<number>();
  const op =
    o.operation === "send"
      ? () => contender.send(o.payload)
      : async () => {
          expectedEvents.add(await contender.stream(o.payload));
        };
  const key = workloadKey(o);
  await runPool({ label: `${contender.label} ${key} warm-up`, total: o.warmup, inFlight, budgetMs: o.budgetMs }, op);
  const run = await runPool({ label: `${contender.label} ${key}`, total: o.count, inFlight, budgetMs: o.budgetMs }, op);
  if (expectedEvents.size > 1) {
    throw new Error(`${contender.label}: streams ended after differing event counts ${[...expectedEvents].join(", ")}`);
  }
  return {
    workload: key,
    contender: contender.id,
    operation: o.operation,
    payload: o.payload,
    mode: o.mode,
    inFlight,
    count: run.done,
    truncated: run.truncated,
    throughput: run.done / (run.elapsedMs / 1000),
    latency: summarize(run.latencies),
  };
}
