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
  const run = await runPool({ label: `${contender.label} ${tasks} in flight`, total: tasks, inFlight: tasks, budgetMs }, () => contender.send("text"));
  const { peakRss } = await contender.server.call<{ peakRss: number }>("memory");
  if (run.done !== tasks) throw new Error(`${contender.label}: only ${run.done} of ${tasks} tasks were sent within the time budget`);
  return { workload: "scale/in-flight", contender: contender.id, tasks, rssBefore, peakRss, elapsedMs: elapsedMs(start) };
}

export interface InARowResult {
  workload: "scale/in-a-row";
  contender: string;
  tasks: number;
  truncated: boolean;
  /**
   * Heap in use after a full GC, bytes, at the start and after each tenth of the
   * run, in the server and in the client. A bounded task store grows until its
   * bound and then stays flat; one without a retention policy grows by every task.
   */
  serverHeap: number[];
  clientHeap: number[];
  throughput: number;
}

function clientHeapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run the harness with --expose-gc (pnpm bench does)");
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Heap growth over the second half of an in-a-row run: "flat" means no growth there. */
export function secondHalfGrowth(heap: number[]): number {
  const mid = heap[Math.floor((heap.length - 1) / 2)] ?? Number.NaN;
  const end = heap[heap.length - 1] ?? Number.NaN;
  return end - mid;
}

/**
 * Runs `tasks` SendMessage round trips (100 in flight) in ten slices and reads the
 * heap after a full GC, in the server and in the client, before and after each.
 */
export async function inARow(contender: Contender, { tasks, warmup, budgetMs }: { tasks: number; warmup: number; budgetMs: number }): Promise<InARowResult> {
  await runPool({ label: `${contender.label} warm-up`, total: warmup, inFlight: 100, budgetMs }, () => contender.send("text"));
  const serverHeap = [await contender.server.call<number>("gcHeap")];
  const clientHeap = [clientHeapAfterGc()];
  const slices = 10;
  const start = process.hrtime.bigint();
  let done = 0;
  let truncated = false;
  let busyMs = 0;
  for (let i = 0; i < slices && !truncated; i++) {
    const n = Math.floor((tasks * (i + 1)) / slices) - Math.floor((tasks * i) / slices);
    const left = budgetMs - elapsedMs(start);
    const run = await runPool({ label: `${contender.label} in a row, slice ${i + 1}/${slices}`, total: n, inFlight: 100, budgetMs: left }, () => contender.send("text"));
    done += run.done;
    busyMs += run.elapsedMs;
    truncated = run.truncated;
    serverHeap.push(await contender.server.call<number>("gcHeap"));
    clientHeap.push(clientHeapAfterGc());
  }
  step(`${contender.label}: ${done} tasks in a row, ${(busyMs / 1000).toFixed(1)} s`);
  return {
    workload: "scale/in-a-row",
    contender: contender.id,
    tasks: done,
    truncated,
    serverHeap,
    clientHeap,
    throughput: done / (busyMs / 1000),
  };
}
