import type { Results, TargetCheck } from "./results.js";
import { MB } from "./stats.js";
import { secondHalfGrowth } from "../workloads/scale.js";

/**
 * Heap growth over the second half of the in-a-row run that still counts as flat.
 * By then a bounded task store is full; an unbounded one grows by ~1 KB a task.
 */
export const FLAT_HEAP_BYTES = 4 * MB;

/** The targets of the benchmark, each checked against a baseline from the same run. */
export function checkTargets(r: Omit<Results, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  // Each row against the baselines of the same layout.
  const find = (contender: string, ours: { workload: string; layout: string }) =>
    r.roundTrips.find((x) => x.contender === contender && x.workload === ours.workload && x.layout === ours.layout);
  for (const ours of r.roundTrips.filter((x) => x.contender.startsWith("a2a/"))) {
    const broker = ours.contender.slice("a2a/".length);
    const bare = find(`bare/${broker}`, ours);
    const sdk = find("sdk/http", ours);
    if (ours.operation === "send" && ours.mode === "sequential" && bare) {
      const ratio = ours.latency.p50 / bare.latency.p50;
      checks.push({ target: `${ours.workload} p50 vs bare, ${ours.layout}`, contender: ours.contender, value: ratio, unit: "×", limit: "≤ 1.5×", pass: ratio <= 1.5 });
    }
    if (ours.mode === "concurrent" && bare) {
      const ratio = ours.throughput / bare.throughput;
      checks.push({ target: `${ours.workload} ops/s vs bare, ${ours.layout}`, contender: ours.contender, value: ratio, unit: "×", limit: "≥ 0.7×", pass: ratio >= 0.7 });
    }
    if (ours.operation === "stream" && ours.mode === "concurrent" && sdk) {
      const ratio = ours.throughput / sdk.throughput;
      checks.push({ target: `${ours.workload} streams/s vs SDK, ${ours.layout}`, contender: ours.contender, value: ratio, unit: "×", limit: "≥ 2×", pass: ratio >= 2 });
    }
  }
  // HTTP clients of MQTT agents: the gateway path against the SDK's own server, each driven
  // by the lean load generator (its CPU leaves the machine to the servers compared), with
  // the ratio under the SDK's own client printed beside it. The SDK-client rows are checked
  // themselves only in a run without the lean pair.
  for (const ours of r.roundTrips.filter((x) => x.contender.startsWith("gateway") && x.operation === "send" && x.mode === "concurrent")) {
    const lean = ours.contender.startsWith("gateway-lean/");
    const broker = ours.contender.slice(ours.contender.indexOf("/") + 1);
    const sdk = find(lean ? "sdk-lean/http" : "sdk/http", ours);
    if (!sdk) continue;
    if (!lean && find(`gateway-lean/${broker}`, ours) && find("sdk-lean/http", ours)) continue;
    const ratio = ours.throughput / sdk.throughput;
    const p50 = `p50 ${ours.latency.p50.toFixed(1)} ms vs ${sdk.latency.p50.toFixed(1)} ms`;
    const viaSdkClient = lean ? find(`gateway/${broker}`, ours) : undefined;
    const sdkClient = lean ? find("sdk/http", ours) : undefined;
    const beside = viaSdkClient && sdkClient ? `; SDK client ${(viaSdkClient.throughput / sdkClient.throughput).toFixed(2)}×, p50 ${viaSdkClient.latency.p50.toFixed(1)} vs ${sdkClient.latency.p50.toFixed(1)} ms` : "";
    checks.push({
      target: `${ours.workload} ops/s vs SDK HTTP, ${lean ? "undici load" : "SDK client"}, ${ours.layout} (${p50}${beside})`,
      contender: ours.contender,
      value: ratio,
      unit: "×",
      limit: "≥ 1.5×",
      pass: ratio >= 1.5,
    });
  }
  for (const x of r.inFlight.filter((x) => x.contender.startsWith("a2a/"))) {
    const mb = x.peakRss / MB;
    checks.push({ target: `${x.tasks} in flight, agent peak RSS`, contender: x.contender, value: mb, unit: "MB", limit: "< 300 MB", pass: mb < 300 });
  }
  for (const x of r.inARow.filter((x) => x.contender.startsWith("a2a/"))) {
    const server = secondHalfGrowth(x.serverHeap) / MB;
    const client = secondHalfGrowth(x.clientHeap) / MB;
    checks.push({ target: `${x.tasks} in a row, agent heap growth (2nd half)`, contender: x.contender, value: server, unit: "MB", limit: `< ${FLAT_HEAP_BYTES / MB} MB`, pass: server * MB < FLAT_HEAP_BYTES });
    checks.push({ target: `${x.tasks} in a row, client heap growth (2nd half)`, contender: x.contender, value: client, unit: "MB", limit: `< ${FLAT_HEAP_BYTES / MB} MB`, pass: client * MB < FLAT_HEAP_BYTES });
  }
  for (const x of r.cards.filter((x) => x.contender.startsWith("a2a/"))) {
    const s = x.elapsedMs / 1000;
    const all = x.cards === x.expected;
    checks.push({ target: `${x.expected} cards discovered${all ? "" : ` (found ${x.cards})`}`, contender: x.contender, value: s, unit: "s", limit: "< 2 s, all", pass: all && s < 2 });
  }
  return checks;
}
