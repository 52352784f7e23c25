/**
 * `pnpm bench:profile`: CPU and allocation profiles of one contender on one workload,
 * taken around the measured part only (after the warm-up), in every process it has:
 * the harness (client; in the inline layout also the server and aedes) and, in the
 * process layout, the server. Prints CPU µs per round trip of each process (from /proc)
 * and the top functions; writes the profiles to bench-results/profiles/.
 *
 *   pnpm bench:profile --contender=a2a --broker=aedes --layout=inline --workload=send/text/sequential
 *   pnpm bench:profile --contender=bare --broker=mosquitto --layout=process --workload=send/text/concurrent
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { a2aMqtt } from "./contenders/a2a-mqtt.js";
import { bareMqtt } from "./contenders/bare-mqtt.js";
import type { Contender } from "./contenders/contender.js";
import { gatewayHttp, gatewayLeanHttp } from "./contenders/gateway-http.js";
import { sdkLeanHttp } from "./contenders/lean-http.js";
import { sdkHttp } from "./contenders/sdk-http.js";
import { startBroker, type Broker, type BrokerKind } from "./lib/brokers.js";
import type { PayloadKind } from "./lib/payloads.js";
import { processCpuUs, processWrites } from "./lib/proc-cpu.js";
import { cpuSummary, heapSummary, type Share } from "./lib/profile-summary.js";
import { startProfiling } from "./lib/profiler.js";
import { step } from "./lib/progress.js";
import type { Layout } from "./lib/server.js";
import { WARM_UP } from "./lib/warm-up.js";
import { runPool } from "./workloads/pool.js";

const { values: args } = parseArgs({
  options: {
    contender: { type: "string", default: "a2a" },
    broker: { type: "string", default: "aedes" },
    layout: { type: "string", default: "inline" },
    workload: { type: "string", default: "send/text/sequential" },
    count: { type: "string" },
    top: { type: "string", default: "25" },
    "no-profile": { type: "boolean", default: false },
  },
});
const [operation, payload, mode] = args.workload.split("/") as ["send" | "stream", PayloadKind, "sequential" | "concurrent"];
const layout = args.layout as Layout;
const inFlight = mode === "sequential" ? 1 : 100;
const count = Number(args.count ?? (mode === "sequential" ? 3_000 : operation === "stream" ? 2_000 : 10_000));
const top = Number(args.top);
const profile = args["no-profile"] !== true;
const outDir = resolve(dirname(fileURLToPath(import.meta.url)), "../bench-results/profiles");
mkdirSync(outDir, { recursive: true });

async function contenderOn(broker: Broker): Promise<Contender> {
  switch (args.contender) {
    case "a2a":
      return a2aMqtt(broker, layout);
    case "a2a-frames":
      return a2aMqtt(broker, layout, { oneFramePerMessage: true });
    case "bare":
      return bareMqtt(broker, layout);
    case "gateway":
      return gatewayHttp(broker, layout);
    case "sdk":
      return sdkHttp(layout);
    case "gateway-lean":
      return gatewayLeanHttp(broker, layout);
    case "sdk-lean":
      return sdkLeanHttp(layout);
    default:
      throw new Error("--contender is a2a, a2a-frames, bare, gateway, sdk, gateway-lean or sdk-lean (the last two driven by the lean load generator)");
  }
}

const print = (title: string, shares: Share[], unit: (v: number) => string): void => {
  console.log(`  ${title}`);
  for (const s of shares) console.log(`    ${unit(s.amount).padStart(10)}  ${s.name}`);
};

const broker = await startBroker(args.broker as BrokerKind, layout);
const contender = await contenderOn(broker);
try {
  const op = operation === "send" ? () => contender.send(payload) : () => contender.stream(payload);
  await runPool({ label: "warm-up", total: operation === "send" ? WARM_UP.sends : WARM_UP.streams, inFlight, budgetMs: 120_000 }, op);
  const pids = new Map<string, number>([["harness", process.pid]]);
  if (contender.server.pid !== process.pid) pids.set(contender.server.name, contender.server.pid);
  for (const other of contender.others ?? []) if (other.pid !== process.pid) pids.set(other.name, other.pid);
  if (broker.pid !== process.pid) pids.set(`broker (${broker.kind})`, broker.pid);
  const profiled = contender.server.pid !== process.pid && profile;
  const harness = profile ? await startProfiling() : undefined;
  if (profiled) await contender.server.call("profileStart");
  for (const other of profiled ? (contender.others ?? []) : []) await other.call("profileStart");
  const before = new Map([...pids].map(([name, pid]) => [name, processCpuUs(pid)]));
  const writesBefore = new Map([...pids].map(([name, pid]) => [name, processWrites(pid)]));
  step(`${contender.label} ${args.workload} (${layout}): ${count} operations, ${inFlight} in flight${profile ? ", profiled" : ""}`);
  const run = await runPool({ label: args.workload, total: count, inFlight, budgetMs: 300_000 }, op);
  const after = new Map([...pids].map(([name, pid]) => [name, processCpuUs(pid)]));
  const writesAfter = new Map([...pids].map(([name, pid]) => [name, processWrites(pid)]));
  const stamp = `${args.contender}-${broker.kind}-${layout}-${args.workload.replaceAll("/", "-")}`;
  const files = [await harness?.stop(resolve(outDir, `${stamp}-harness`))];
  if (profiled) files.push(await contender.server.call<{ cpu: string; heap: string }>("profileStop", resolve(outDir, `${stamp}-${contender.server.name}`)));
  for (const other of profiled ? (contender.others ?? []) : []) {
    files.push(await other.call<{ cpu: string; heap: string }>("profileStop", resolve(outDir, `${stamp}-${other.name}`)));
  }

  console.log(`${contender.label}, ${args.workload}, ${layout}: ${run.done} in ${(run.elapsedMs / 1000).toFixed(2)} s, ${Math.round(run.done / (run.elapsedMs / 1000))}/s`);
  let total = 0;
  for (const [name, cpu] of before) {
    const per = ((after.get(name) ?? cpu) - cpu) / run.done;
    total += per;
    const writes = ((writesAfter.get(name) ?? 0) - (writesBefore.get(name) ?? 0)) / run.done;
    console.log(`  CPU per operation, ${name}: ${per.toFixed(1)} µs, ${writes.toFixed(2)} write calls`);
  }
  console.log(`  CPU per operation, all processes: ${total.toFixed(1)} µs (profiling on: ${profile})`);
  for (const f of files) {
    if (f === undefined) continue;
    const cpu = cpuSummary(f.cpu, top);
    const heap = heapSummary(f.heap, top);
    console.log(`\n${f.cpu}: ${(cpu.totalUs / run.done).toFixed(1)} µs busy per operation; ${f.heap}: ${Math.round(heap.totalBytes / run.done / 1024)} KB allocated per operation (sampled)`);
    print("CPU by area", cpu.byArea, (us) => `${(us / run.done).toFixed(1)} µs`);
    print("CPU by function", cpu.byFunction, (us) => `${(us / run.done).toFixed(1)} µs`);
    print("allocation by area", heap.byArea, (b) => `${(b / run.done / 1024).toFixed(1)} KB`);
    print("allocation by function", heap.byFunction, (b) => `${(b / run.done / 1024).toFixed(1)} KB`);
  }
} finally {
  await contender.close();
  await broker.stop();
}
process.exit(0);
