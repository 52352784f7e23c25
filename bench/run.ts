/**
 * `pnpm bench`: a2a-mqtt against bare mqtt.js (the limit of the stack) and the
 * A2A HTTP SDK (what users would otherwise pick), in one run on one machine.
 * Prints a table on stdout, progress on stderr, and writes bench-results/latest.json.
 *
 *   pnpm bench                   full run (several minutes)
 *   pnpm bench --quick           small counts: a smoke test of the harness
 *   pnpm bench --only=bare,sdk   contenders whose id starts with one of these (gateway,sdk: the gateway's figures,
 *                                with the SDK's client and with the lean load generator: gateway-lean, sdk-lean)
 *   pnpm bench --no-scale        round trips only
 *   pnpm bench --layout=inline   round trips only with servers and aedes in the harness process
 *   pnpm bench --layout=process  round trips only with client, server and broker each in its own process
 *                                (default: both, side by side)
 *   pnpm bench --workloads=send/text/concurrent,stream   round trips whose key starts so
 *   pnpm bench --only=a2a/aedes,a2a-traced/aedes --no-scale   tracing off against on
 *   pnpm bench --only=tracing    only the in-process tracing overhead (off and on, CPU per call)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { discoverA2A } from "./contenders/a2a-discovery.js";
import { a2aMqtt } from "./contenders/a2a-mqtt.js";
import { bareMqtt } from "./contenders/bare-mqtt.js";
import type { Contender, ContenderFactory, ContenderOptions } from "./contenders/contender.js";
import { sdkHttp } from "./contenders/sdk-http.js";
import { gatewayHttp, gatewayLeanHttp } from "./contenders/gateway-http.js";
import { sdkLeanHttp } from "./contenders/lean-http.js";
import { mosquittoAvailable, startBroker, type Broker, type BrokerKind } from "./lib/brokers.js";
import { machineInfo } from "./lib/machine.js";
import { WARM_UP } from "./lib/warm-up.js";
import type { PayloadKind } from "./lib/payloads.js";
import { step, warn } from "./lib/progress.js";
import type { Results } from "./lib/results.js";
import type { Layout } from "./lib/server.js";
import { elapsedMs } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";
import { checkTargets } from "./lib/targets.js";
import { discoverBare, publishCards } from "./workloads/cards.js";
import { coldA2A, coldSdk } from "./workloads/cold.js";
import { roundTrip, roundTripsInTurns, workloadKey, type RoundTripOptions } from "./workloads/round-trip.js";
import { inARow, inFlightPeak } from "./workloads/scale.js";
import { runIsolated, type TelemetryOverheadResult } from "./workloads/telemetry.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-scale": { type: "boolean", default: false },
    layout: { type: "string", default: "both" },
    workloads: { type: "string" },
    out: { type: "string" },
  },
});
const quick = args.quick === true;
const only = args.only?.split(",").map((s) => s.trim()).filter(Boolean);
const selected = (id: string): boolean => !only || only.some((p) => id.startsWith(p));
const workloads = args.workloads?.split(",").map((s) => s.trim()).filter(Boolean);
if (args.layout !== "inline" && args.layout !== "process" && args.layout !== "both") throw new Error("--layout is inline, process or both");
const layouts: Layout[] = args.layout === "both" ? ["inline", "process"] : [args.layout];

const counts = quick
  ? { warmup: 100, streamWarmup: 100, sequential: 200, concurrent: 1_000, inFlight: 100, streams: 200, scaleInFlight: 1_000, inARow: 5_000, cards: 500, cold: 2, turns: 2 }
  : { warmup: WARM_UP.sends, streamWarmup: WARM_UP.streams, sequential: 4_000, concurrent: 10_000, inFlight: 100, streams: 2_000, scaleInFlight: 10_000, inARow: 100_000, cards: 10_000, cold: 5, turns: 8 };
/** Each workload stops issuing work after this long, so one slow contender cannot stall the run. */
const budgetMs = quick ? 20_000 : 90_000;
const scaleBudgetMs = quick ? 30_000 : 180_000;

const t0 = process.hrtime.bigint();
const results: Omit<Results, "targets" | "durationS"> = {
  startedAt: new Date().toISOString(),
  quick,
  layouts,
  machine: machineInfo(),
  counts,
  contenders: [],
  unavailable: [],
  roundTrips: [],
  inFlight: [],
  inARow: [],
  cards: [],
  cold: [],
};

function roundTripPlan(): RoundTripOptions[] {
  const plan: RoundTripOptions[] = [];
  const { warmup, inFlight } = counts;
  for (const payload of ["text", "data4k"] as PayloadKind[]) {
    plan.push({ operation: "send", payload, mode: "sequential", count: counts.sequential, warmup, inFlight: 1, budgetMs });
  }
  for (const payload of ["text", "data4k"] as PayloadKind[]) {
    plan.push({ operation: "send", payload, mode: "concurrent", count: counts.concurrent, warmup, inFlight, budgetMs });
  }
  plan.push({ operation: "stream", payload: "text", mode: "concurrent", count: counts.streams, warmup: counts.streamWarmup, inFlight, budgetMs });
  return plan.filter((o) => !workloads || workloads.some((w) => workloadKey(o).startsWith(w)));
}

function fail(id: string, error: unknown): void {
  // fetch's "fetch failed" says nothing without its cause (ECONNRESET, a timeout, ...).
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  const reason = error instanceof Error ? `${error.message}${cause}` : String(error);
  if (results.unavailable.some((u) => u.id === id && u.reason === reason)) return;
  warn(`${id}: ${reason}`);
  results.unavailable.push({ id, reason });
}

/** Starts a fresh contender, runs `body`, and always closes it. */
async function withContender(
  { id, factory, where, options = {} }: { id: string; factory: ContenderFactory; where: Layout; options?: ContenderOptions },
  body: (c: Contender) => Promise<void>,
): Promise<void> {
  let contender: Contender | undefined;
  try {
    contender = await factory(where, options);
    const { id: cid, label } = contender;
    if (!results.contenders.some((c) => c.id === cid)) results.contenders.push({ id: cid, label });
    await body(contender);
  } catch (error) {
    fail(id, error);
  } finally {
    await contender?.close().catch((error: unknown) => warn(`${id}: close failed: ${String(error)}`));
  }
}

async function runRoundTrips(id: string, factory: ContenderFactory, layout: Layout): Promise<void> {
  await withContender({ id, factory, where: layout }, async (c) => {
    step(`${c.label}: round trips (${layout})`);
    for (const o of roundTripPlan()) results.roundTrips.push({ ...(await roundTrip(c, o)), layout });
  });
}

/** Contenders measured in turns on each workload (`roundTripsInTurns`). */
const IN_TURNS = ["bare/", "a2a/", "a2a-frames/"];

/** Opens every contender of `entries` at once and runs the round trips with them taking turns. */
async function runRoundTripsInTurns(entries: Array<{ id: string; factory: ContenderFactory }>, layout: Layout): Promise<void> {
  const open: Array<{ id: string; contender: Contender }> = [];
  try {
    for (const { id, factory } of entries) {
      try {
        const contender = await factory(layout, {});
        open.push({ id, contender });
        if (!results.contenders.some((c) => c.id === contender.id)) results.contenders.push({ id: contender.id, label: contender.label });
      } catch (error) {
        fail(id, error);
      }
    }
    step(`${open.map((o) => o.contender.label).join(", ")}: round trips in turns (${layout})`);
    for (const o of roundTripPlan()) {
      // Without frame batches only streams differ: that contender runs them alone.
      const takers = open.filter(({ id }) => !id.startsWith("a2a-frames/") || o.operation === "stream");
      const measured = await roundTripsInTurns(
        takers.map((t) => t.contender),
        { ...o, rounds: counts.turns },
      );
      for (const m of measured) {
        if ("error" in m) fail(m.contender.id, m.error);
        else results.roundTrips.push({ ...m, layout });
      }
    }
  } finally {
    for (const { id, contender } of open) await contender.close().catch((error: unknown) => warn(`${id}: close failed: ${String(error)}`));
  }
}

/** The scale workloads read the server's own memory, so the server always gets a process of its own. */
async function runScale(id: string, factory: ContenderFactory): Promise<void> {
  if (args["no-scale"]) return;
  // A fresh server for each, so one workload's garbage does not count against the next.
  await withContender({ id, factory, where: "process", options: { maxInFlight: counts.scaleInFlight } }, async (c) => {
    step(`${c.label}: ${counts.scaleInFlight} tasks in flight`);
    results.inFlight.push(await inFlightPeak(c, counts.scaleInFlight, scaleBudgetMs));
  });
  await withContender({ id, factory, where: "process" }, async (c) => {
    step(`${c.label}: ${counts.inARow} tasks in a row`);
    results.inARow.push(await inARow(c, { tasks: counts.inARow, warmup: counts.warmup, budgetMs: scaleBudgetMs }));
  });
}

/** Cold figures: an agent process from start() to its card online, a new client to its first answer. */
async function runCold(broker: Broker): Promise<void> {
  if (args["no-scale"]) return;
  try {
    step(`a2a-mqtt (${broker.kind}): cold start and first call`);
    results.cold.push(await coldA2A(broker, counts.cold));
  } catch (error) {
    fail(`a2a/${broker.kind} cold`, error);
  }
}

async function runCards(broker: Broker): Promise<void> {
  if (args["no-scale"]) return;
  step(`${broker.kind}: ${counts.cards} retained Agent Cards`);
  await publishCards(broker, counts.cards);
  if (selected(`bare/${broker.kind}`)) results.cards.push(await discoverBare(broker, counts.cards));
  if (selected(`a2a/${broker.kind}`)) {
    try {
      results.cards.push(await discoverA2A(broker, counts.cards));
    } catch (error) {
      fail(`a2a/${broker.kind} cards`, error);
    }
  }
}

async function onBroker(kind: BrokerKind): Promise<void> {
  const ids = [`bare/${kind}`, `a2a/${kind}`, `a2a-frames/${kind}`, `a2a-traced/${kind}`, `gateway/${kind}`, `gateway-lean/${kind}`].filter(selected);
  if (ids.length === 0) return;
  if (kind === "mosquitto" && !mosquittoAvailable()) {
    if (process.env.CI === "true") throw new Error("mosquitto is required in CI (set MOSQUITTO_BIN)");
    for (const id of ids) fail(id, "mosquitto binary not found");
    return;
  }
  for (const [i, layout] of layouts.entries()) {
    step(`starting ${kind} (${layout})`);
    const broker = await startBroker(kind, layout);
    try {
      const factories: Record<string, ContenderFactory> = {
        [`bare/${kind}`]: (where) => bareMqtt(broker, where),
        [`a2a/${kind}`]: (where, options) => a2aMqtt(broker, where, options),
        [`a2a-frames/${kind}`]: (where, options) => a2aMqtt(broker, where, { ...options, oneFramePerMessage: true }),
        [`a2a-traced/${kind}`]: (where, options) => a2aMqtt(broker, where, { ...options, traced: true }),
        [`gateway/${kind}`]: (where) => gatewayHttp(broker, where),
        [`gateway-lean/${kind}`]: (where) => gatewayLeanHttp(broker, where),
      };
      // bare mqtt.js and a2a-mqtt take turns on each workload (their ratios are the targets);
      // the others run one after the other (tracing changes the process's async context).
      const inTurns = ids.filter((id) => IN_TURNS.some((prefix) => id.startsWith(prefix)));
      if (inTurns.length > 0) await runRoundTripsInTurns(inTurns.map((id) => ({ id, factory: factories[id] as ContenderFactory })), layout);
      for (const id of ids.filter((i) => !inTurns.includes(i))) await runRoundTrips(id, factories[id] as ContenderFactory, layout);
      if (i > 0) continue;
      // Scale workloads once, on the embedded broker: they measure the agent and the client.
      const scaled = (i: string) => !i.startsWith("gateway") && !i.startsWith("a2a-traced/") && !i.startsWith("a2a-frames/");
      if (kind === "aedes") for (const id of ids.filter(scaled)) await runScale(id, factories[id] as ContenderFactory);
      if (selected(`a2a/${kind}`)) await runCold(broker);
      await runCards(broker);
    } finally {
      await broker.stop();
    }
  }
}

async function main(): Promise<void> {
  const m = results.machine;
  step(`${quick ? "quick" : "full"} run on ${m.nproc} × ${m.cpu}, Node ${m.node}, layouts ${layouts.join(", ")}`);
  await onBroker("aedes");
  await onBroker("mosquitto");
  if (selected("sdk/http")) {
    for (const layout of layouts) await runRoundTrips("sdk/http", sdkHttp, layout);
    await runScale("sdk/http", sdkHttp);
    if (!args["no-scale"]) {
      try {
        step("@a2a-js/sdk HTTP: cold start and first call");
        results.cold.push(await coldSdk(counts.cold));
      } catch (error) {
        fail("sdk/http cold", error);
      }
    }
  }
  if (selected("sdk-lean/http")) for (const layout of layouts) await runRoundTrips("sdk-lean/http", sdkLeanHttp, layout);
  if (selected("tracing")) {
    const calls = quick ? 500 : 2_000;
    const rounds = quick ? 2 : 3;
    const cycles = quick ? 2 : 4;
    try {
      // Each mode in a process of its own; the processes alternate, so that a change of
      // the machine's load during the run hits every mode alike, and the medians are kept.
      step(`tracing overhead: ${cycles} × (off, on, spans only), ${rounds} rounds of ${calls} in-process calls each`);
      const runs: Record<"off" | "on" | "spans", TelemetryOverheadResult[]> = { off: [], on: [], spans: [] };
      for (let cycle = 0; cycle < cycles; cycle++) {
        for (const mode of ["off", "on", "spans"] as const) runs[mode].push(await runIsolated(mode, calls, rounds));
      }
      const middle = (list: TelemetryOverheadResult[], cpu: (r: TelemetryOverheadResult) => number) =>
        [...list].sort((a, b) => cpu(a) - cpu(b))[Math.floor(list.length / 2)]!;
      results.tracing = {
        off: middle(runs.off, (r) => r.offCpuUs),
        on: middle(runs.on, (r) => r.onCpuUs),
        spans: middle(runs.spans, (r) => r.onCpuUs),
      };
    } catch (error) {
      fail("tracing", error);
    }
  }
  const done = { ...results, durationS: elapsedMs(t0) / 1000 };
  const final: Results = { ...done, targets: checkTargets(done) };
  const out = resolve(args.out ?? resolve(dirname(fileURLToPath(import.meta.url)), "../bench-results/latest.json"));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(final, null, 2)}\n`);
  process.stdout.write(`${renderTable(final)}\n`);
  step(`results written to ${out} (${final.durationS.toFixed(0)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    warn(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
