import type { Contender } from "../contenders/contender.js";
import { step } from "../lib/progress.js";
import { elapsedMs } from "../lib/stats.js";
import { runPool } from "./pool.js";

export interface InFlightResult {
  workload: "scale/in-flight";
  contender: string;
  tasks: number;
  /** RSS of the server process before the burst, bytes. */
  rssBefore: number;
  /** Highest RSS of the server process while the tasks were held, bytes. */
  peakRss: number;
  /** From the first request sent to the last reply received, ms. */
  elapsedMs: number;
}

/**
 * Sends `tasks` requests at once; the server holds every task until all of them
 * have arrived, so exactly `tasks` are in flight in one process, then completes
 * them. Reads the server's peak RSS.
 */
export async function inFlightPeak(contender: Contender, tasks: number, budgetMs: number): Promise<InFlightResult> {
  const { rss: rssBefore } = await contender.server.call<{ rss: number }>("memory");
  await contender.server.call("resetPeak");
  await contender.server.call("hold", tasks);
  const start = process.hrtime.bigint();
  const run = await runPool(`${contender.label} ${tasks} in flight`, tasks, tasks, () => contender.send("text"), budgetMs);
  const { peakRss } = await contender.server.call<{ peakRss: number }>("memory");
  if (run.done !== tasks) throw new Error(`${contender.label}: only ${run.done} of ${tasks} tasks were sent within the time budget`);
  return { workload: "scale/in-flight", contender: contender.id, tasks, rssBefore, peakRss, elapsedMs: elapsedMs(start) };
}

export interface InARowResult {
  workload: "scale/in-a-row";
  contender: string;
  tasks: number;
  truncated: boolean;
  /** Heap in use after a full GC, bytes: server before/after, client before/after. */
  serverHeapBefore: number;
  serverHeapAfter: number;
  clientHeapBefore: number;
  clientHeapAfter: number;
  throughput: number;
}

function clientHeapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run the harness with --expose-gc (pnpm bench does)");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/**
 * Runs `tasks` SendMessage round trips (100 in flight) and compares the heap in
 * use after a full GC, before and after, in the server and in the client. A task
 * store without a retention policy grows by every task.
 */
export async function inARow(contender: Contender, tasks: number, warmup: number, budgetMs: number): Promise<InARowResult> {
  await runPool(`${contender.label} warm-up`, warmup, 100, () => contender.send("text"), budgetMs);
  const serverHeapBefore = await contender.server.call<number>("gcHeap");
  const clientHeapBefore = clientHeapAfterGc();
  const run = await runPool(`${contender.label} ${tasks} in a row`, tasks, 100, () => contender.send("text"), budgetMs);
  step(`${contender.label}: ${run.done} tasks in ${(run.elapsedMs / 1000).toFixed(1)} s; collecting garbage`);
  const serverHeapAfter = await contender.server.call<number>("gcHeap");
  const clientHeapAfter = clientHeapAfterGc();
  return {
    workload: "scale/in-a-row",
    contender: contender.id,
    tasks: run.done,
    truncated: run.truncated,
    serverHeapBefore,
    serverHeapAfter,
    clientHeapBefore,
    clientHeapAfter,
    throughput: run.done / (run.elapsedMs / 1000),
  };
}
