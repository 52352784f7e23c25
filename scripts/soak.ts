/**
 * Soak test: one agent and one client on an embedded aedes broker (or a spawned
 * mosquitto) at a steady load for `--minutes` (default 10): blocking SendMessage,
 * streaming and GetTask calls. Every 10 s it prints throughput, latency percentiles and
 * the heap after a forced collection; at the end a summary. Exits 1 on any failed call or
 * when the heap grew beyond the bound between the first and the last minute.
 *
 *   npx tsx --conditions=@a2a/source scripts/soak.ts [--minutes 10] [--rate 200] [--broker aedes|mosquitto]
 */
import { parseArgs } from "node:util";
import { A2AAgent } from "@a2a/agent";
import { A2AClient, userMessage } from "@a2a/client";
import { startAedes, startMosquitto } from "@a2a/testing";
import { heapUsedAfterGc, MiB } from "../test/reliability/heap.js";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    rate: { type: "string", default: "200" },
    broker: { type: "string", default: "aedes" },
    "interval-seconds": { type: "string", default: "10" },
    "max-heap-growth-mib": { type: "string", default: "32" },
  },
});
const durationMs = Number(values.minutes) * 60_000;
const rate = Number(values.rate);
const intervalMs = Number(values["interval-seconds"]) * 1000;
const bound = Number(values["max-heap-growth-mib"]) * MiB;
const MAX_IN_FLIGHT = 2_000;

const broker = values.broker === "mosquitto" ? await startMosquitto() : await startAedes();
const agent = new A2AAgent({ orgId: "soak", agentId: "worker", name: "Soak worker", description: "Steady work", broker: broker.url });
agent.skill<{ n: number }>({
  id: "work",
  handler: async (input, ctx) => {
    await ctx.status("working", "step");
    await ctx.artifact({ data: { n: input.n, square: input.n * input.n } });
    return `done ${input.n}`;
  },
});
await agent.start();
const client = new A2AClient({ broker: broker.url, timeoutMs: 30_000 });
await client.connect();
const handle = client.agent("soak/worker");

interface Interval {
  latencies: number[];
  completed: number;
  failed: number;
}
const all: number[] = [];
let interval: Interval = { latencies: [], completed: 0, failed: 0 };
let totalCompleted = 0;
let totalFailed = 0;
const failures = new Map<string, number>();
let inFlight = 0;
let skipped = 0;
let n = 0;
let lastTaskId: string | undefined;

async function one(): Promise<void> {
  const i = n++;
  const started = performance.now();
  const kind = i % 20 === 0 ? "get" : i % 7 === 0 ? "stream" : "send";
  inFlight++;
  try {
    if (kind === "get" && lastTaskId !== undefined) {
      await handle.getTask({ id: lastTaskId, historyLength: 1 });
    } else if (kind === "stream") {
      let last: unknown;
      for await (const event of handle.sendStreamingMessage({ message: userMessage({ data: { n: i }, skill: "work" }) })) last = event;
      if ((last as { statusUpdate?: { status: { state: string } } }).statusUpdate?.status.state !== "TASK_STATE_COMPLETED") {
        throw new Error("a stream did not end completed");
      }
    } else {
      const result = await handle.sendMessage({ message: userMessage({ data: { n: i }, skill: "work" }) });
      const task = "task" in result ? result.task : undefined;
      if (task?.status.state !== "TASK_STATE_COMPLETED") throw new Error(`a task ended ${task?.status.state}`);
      lastTaskId = task.id;
    }
    const ms = performance.now() - started;
    interval.latencies.push(ms);
    all.push(ms);
    interval.completed++;
    totalCompleted++;
  } catch (error) {
    interval.failed++;
    totalFailed++;
    const key = String((error as Error).message ?? error).slice(0, 120);
    failures.set(key, (failures.get(key) ?? 0) + 1);
  } finally {
    inFlight--;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const fmt = (ms: number) => ms.toFixed(1);
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)}`;

const heap: Array<{ at: number; bytes: number }> = [];
const begin = Date.now();
console.log(`soak: ${values.minutes} min at ${rate} calls/s on ${values.broker} (progress every ${intervalMs / 1000} s)`);
console.log("elapsed  calls/s  failed  in-flight  p50 ms  p95 ms  p99 ms  max ms  heap MiB  rss MiB");

// Steady load: every 50 ms start the calls due since the start, unless too many are in flight.
const tick = setInterval(() => {
  const due = Math.floor(((Date.now() - begin) / 1000) * rate) - (n + skipped);
  for (let k = 0; k < due; k++) {
    if (inFlight >= MAX_IN_FLIGHT) skipped++;
    else void one();
  }
}, 50);

const report = setInterval(() => {
  const done = interval;
  interval = { latencies: [], completed: 0, failed: 0 };
  const sorted = done.latencies.sort((a, b) => a - b);
  const bytes = heapUsedAfterGc();
  heap.push({ at: Date.now() - begin, bytes });
  const elapsed = Math.round((Date.now() - begin) / 1000);
  console.log(
    [
      `${elapsed}s`.padStart(7),
      (done.completed / (intervalMs / 1000)).toFixed(0).padStart(8),
      String(done.failed).padStart(7),
      String(inFlight).padStart(10),
      fmt(percentile(sorted, 50)).padStart(7),
      fmt(percentile(sorted, 95)).padStart(7),
      fmt(percentile(sorted, 99)).padStart(7),
      fmt(sorted.at(-1) ?? 0).padStart(7),
      mib(bytes).padStart(9),
      mib(process.memoryUsage().rss).padStart(8),
    ].join(" "),
  );
}, intervalMs);

await new Promise((resolve) => setTimeout(resolve, durationMs));
clearInterval(tick);
// Let the calls in flight finish before the summary.
const drainUntil = Date.now() + 35_000;
while (inFlight > 0 && Date.now() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 50));
clearInterval(report);

const sorted = all.sort((a, b) => a - b);
const firstMinute = heap.filter((h) => h.at <= 60_000 + intervalMs);
const lastMinute = heap.filter((h) => h.at >= durationMs - 60_000);
const avg = (xs: Array<{ bytes: number }>) => xs.reduce((s, x) => s + x.bytes, 0) / Math.max(1, xs.length);
const growth = heap.length >= 2 ? avg(lastMinute) - avg(firstMinute) : 0;
console.log("\nsoak summary");
console.log(`  duration ${((Date.now() - begin) / 60_000).toFixed(1)} min, calls completed ${totalCompleted}, failed ${totalFailed}, not started (too many in flight) ${skipped}`);
console.log(`  throughput ${(totalCompleted / (durationMs / 1000)).toFixed(0)} calls/s`);
console.log(`  latency ms: p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(percentile(sorted, 95))}, p99 ${fmt(percentile(sorted, 99))}, p99.9 ${fmt(percentile(sorted, 99.9))}, max ${fmt(sorted.at(-1) ?? 0)}`);
console.log(`  heap MiB after gc: first minute ${mib(avg(firstMinute))}, last minute ${mib(avg(lastMinute))}, max ${mib(Math.max(...heap.map((h) => h.bytes)))} (growth ${mib(growth)}, bound ${mib(bound)})`);
for (const [message, count] of failures) console.log(`  failure x${count}: ${message}`);

await client.close();
await agent.stop({ gracePeriodMs: 1000 });
await broker.close();
const ok = totalFailed === 0 && growth <= bound && skipped === 0;
console.log(ok ? "soak passed" : "soak FAILED");
process.exit(ok ? 0 : 1);
