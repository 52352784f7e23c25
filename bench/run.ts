/**
 * `pnpm bench`: a2a-mqtt against bare mqtt.js (the limit of the stack) and the
 * A2A HTTP SDK (what users would otherwise pick), in one run on one machine.
 * Prints a table on stdout, progress on stderr, and writes bench-results/latest.json.
 *
 *   pnpm bench                 full run (several minutes)
 *   pnpm bench --quick         small counts, a smoke test of the harness
 *   pnpm bench --only=bare,sdk contenders whose id starts with one of these
 *   pnpm bench --no-scale      round trips only
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { a2aMqtt } from "./contenders/a2a-mqtt.js";
import { bareMqtt } from "./contenders/bare-mqtt.js";
import type { Contender } from "./contenders/contender.js";
import { sdkHttp } from "./contenders/sdk-http.js";
import { mosquittoAvailable, startBroker, type Broker, type BrokerKind } from "./lib/brokers.js";
import { machineInfo } from "./lib/machine.js";
import type { PayloadKind } from "./lib/payloads.js";
import { step, warn } from "./lib/progress.js";
import type { Results } from "./lib/results.js";
import { elapsedMs } from "./lib/stats.js";
import { renderTable } from "./lib/table.js";
import { checkTargets } from "./lib/targets.js";
import { discoverA2A } from "./contenders/a2a-discovery.js";
import { discoverBare, publishCards } from "./workloads/cards.js";
import { roundTrip, type RoundTripOptions } from "./workloads/round-trip.js";
import { inARow, inFlightPeak } from "./workloads/scale.js";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    "no-scale": { type: "boolean", default: false },
    out: { type: "string" },
  },
});
const quick = args.quick === true;
const only = args.only?.split(",").map((s) => s.trim()).filter(Boolean);
const selected = (id: string): boolean => !only || only.some((p) => id.startsWith(p));

const counts = quick
  ? { warmup: 50, sequential: 200, concurrent: 1_000, inFlight: 100, streams: 200, scaleInFlight: 1_000, inARow: 5_000, cards: 500 }
  : { warmup: 500, sequential: 2_000, concurrent: 10_000, inFlight: 100, streams: 2_000, scaleInFlight: 10_000, inARow: 100_000, cards: 10_000 };
/** Each workload stops issuing work after this long, so one slow contender cannot stall the run. */
const budgetMs = quick ? 20_000 : 90_000;
const scaleBudgetMs = quick ? 30_000 : 180_000;

const startedAt = new Date();
const t0 = process.hrtime.bigint();
const results: Omit<Results, "targets" | "durationS"> = {
  startedAt: startedAt.toISOString(),
  quick,
  machine: machineInfo(),
  counts,
  contenders: [],
  unavailable: [],
  roundTrips: [],
  inFlight: [],
  inARow: [],
  cards: [],
};

type Factory = (broker: Broker | undefined) => Promise<Contender>;
const needBroker = (f: (b: Broker) => Promise<Contender>): Factory => (b) => {
  if (!b) throw new Error("this contender needs a broker");
  return f(b);
};

function roundTripPlan(): RoundTripOptions[] {
  const plan: RoundTripOptions[] = [];
  for (const payload of ["text", "data4k"] as PayloadKind[]) {
    plan.push({ operation: "send", payload, mode: "sequential", count: counts.sequential, warmup: counts.warmup, inFlight: 1, budgetMs });
  }
  for (const payload of ["text", "data4k"] as PayloadKind[]) {
    plan.push({ operation: "send", payload, mode: "concurrent", count: counts.concurrent, warmup: counts.warmup * 2, inFlight: counts.inFlight, budgetMs });
  }
  plan.push({ operation: "stream", payload: "text", mode: "concurrent", count: counts.streams, warmup: counts.warmup, inFlight: counts.inFlight, budgetMs });
  return plan;
}

function fail(id: string, error: unknown): void {
  const reason = error instanceof Error ? error.message : String(error);
  if (results.unavailable.some((u) => u.id === id && u.reason === reason)) return;
  warn(`${id}: ${reason}`);
  results.unavailable.push({ id, reason });
}

/** Starts a fresh contender, runs `body`, and always closes it. */
async function withContender(id: string, factory: Factory, broker: Broker | undefined, body: (c: Contender) => Promise<void>): Promise<void> {
  let contender: Contender | undefined;
  try {
    contender = await factory(broker);
    if (!results.contenders.some((c) => c.id === contender?.id)) results.contenders.push({ id: contender.id, label: contender.label });
    await body(contender);
  } catch (error) {
    fail(id, error);
  } finally {
    await contender?.close().catch((error: unknown) => warn(`${id}: close failed: ${String(error)}`));
  }
}

async function runRoundTrips(id: string, factory: Factory, broker?: Broker): Promise<void> {
  await withContender(id, factory, broker, async (c) => {
    step(`${c.label}: round trips`);
    for (const o of roundTripPlan()) results.roundTrips.push(await roundTrip(c, o));
  });
}

async function runScale(id: string, factory: Factory, broker?: Broker): Promise<void> {
  if (args["no-scale"]) return;
  // A fresh server process for each, so one workload's garbage does not count against the next.
  await withContender(id, factory, broker, async (c) => {
    step(`${c.label}: ${counts.scaleInFlight} tasks in flight`);
    results.inFlight.push(await inFlightPeak(c, counts.scaleInFlight, scaleBudgetMs));
  });
  await withContender(id, factory, broker, async (c) => {
    step(`${c.label}: ${counts.inARow} tasks in a row`);
    results.inARow.push(await inARow(c, counts.inARow, counts.warmup * 2, scaleBudgetMs));
  });
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
  const ids = [`bare/${kind}`, `a2a/${kind}`].filter(selected);
  if (ids.length === 0) return;
  if (kind === "mosquitto" && !mosquittoAvailable()) {
    if (process.env.CI === "true") throw new Error("mosquitto is required in CI (set MOSQUITTO_BIN)");
    for (const id of ids) fail(id, "mosquitto binary not found");
    return;
  }
  step(`starting ${kind}`);
  const broker = await startBroker(kind);
  try {
    const factories: Record<string, Factory> = { [`bare/${kind}`]: needBroker(bareMqtt), [`a2a/${kind}`]: needBroker(a2aMqtt) };
    for (const id of ids) await runRoundTrips(id, factories[id] as Factory, broker);
    // Scale workloads once, on the embedded broker: they measure the agent and client processes.
    if (kind === "aedes") for (const id of ids) await runScale(id, factories[id] as Factory, broker);
    await runCards(broker);
  } finally {
    await broker.stop();
  }
}

async function main(): Promise<void> {
  step(`${quick ? "quick" : "full"} run on ${results.machine.nproc} × ${results.machine.cpu}, Node ${results.machine.node}`);
  await onBroker("aedes");
  await onBroker("mosquitto");
  if (selected("sdk/http")) {
    const sdk: Factory = () => sdkHttp();
    await runRoundTrips("sdk/http", sdk);
    await runScale("sdk/http", sdk);
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
