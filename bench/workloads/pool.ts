import { elapsedMs } from "../lib/stats.js";
import { tick } from "../lib/progress.js";

export interface PoolResult {
  /** Operations that completed. */
  done: number;
  /** Per-operation latency, milliseconds. */
  latencies: number[];
  elapsedMs: number;
  /** True when the time budget ran out before `total` operations were issued. */
  truncated: boolean;
}

/**
 * Runs `total` operations with at most `inFlight` outstanding, recording each one's
 * latency. Stops issuing new operations once `budgetMs` has passed, so a slow
 * contender cannot stall the whole run. The first error rejects the pool.
 */
export async function runPool(
  { label, total, inFlight, budgetMs }: { label: string; total: number; inFlight: number; budgetMs: number },
  op: () => Promise<unknown>,
): Promise<PoolResult> {
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  let issued = 0;
  let truncated = false;
  const worker = async (): Promise<void> => {
    while (issued < total) {
      if (elapsedMs(start) > budgetMs) {
        truncated = true;
        return;
      }
      issued++;
      const t0 = process.hrtime.bigint();
      await op();
      latencies.push(elapsedMs(t0));
      tick(label, latencies.length, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  return { done: latencies.length, latencies, elapsedMs: elapsedMs(start), truncated };
}
