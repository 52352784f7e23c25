import type { Results } from "./results.js";
import type { Layout } from "./server.js";
import { MB } from "./stats.js";
import type { RoundTripResult } from "../workloads/round-trip.js";

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
}

function render(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  return [pad(header, widths), pad(widths.map((w) => "-".repeat(w)), widths), ...rows.map((r) => pad(r, widths))];
}

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : "–");
const rate = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "–");
const ratio = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? "–" : `${v.toFixed(2)}×`);

const TITLES: Record<string, string> = {
  "send/text/sequential": "SendMessage, ~100 B text, sequential",
  "send/data4k/sequential": "SendMessage, ~4 KB data, sequential",
  "send/text/concurrent": "SendMessage, ~100 B text, 100 in flight",
  "send/data4k/concurrent": "SendMessage, ~4 KB data, 100 in flight",
  "stream/text/concurrent": "SendStreamingMessage, 10 status events, 100 in flight",
};

/**
 * The ratio columns compare with bare mqtt.js on the same broker (bare on aedes
 * for the SDK, which has no broker) and with the SDK. Sequential blocks compare
 * p50 latency (lower is better), concurrent blocks throughput (higher is better).
 */
function roundTripBlock(r: Results, { workload, layout, label }: { workload: string; layout: Layout; label: (id: string) => string }): string[] {
  const rows = r.roundTrips.filter((x) => x.workload === workload && x.layout === layout);
  if (rows.length === 0) return [];
  const sequential = rows[0]?.mode === "sequential";
  const metric = (x: RoundTripResult): number => (sequential ? x.latency.p50 : x.throughput);
  const bareFor = (x: RoundTripResult) =>
    rows.find((b) => b.contender === `bare/${x.contender.includes("mosquitto") ? "mosquitto" : "aedes"}`);
  // Rows driven by the lean load generator compare with the SDK server under the same generator.
  const sdkFor = (x: RoundTripResult) => rows.find((b) => b.contender === (x.contender.includes("-lean/") ? "sdk-lean/http" : "sdk/http"));
  // Tracing on against off: the same stack on the same broker without an OpenTelemetry SDK.
  const untracedFor = (x: RoundTripResult) =>
    x.contender.startsWith("a2a-traced/") ? rows.find((b) => b.contender === x.contender.replace("a2a-traced/", "a2a/")) : undefined;
  const body = rows.map((x) => {
    const bare = bareFor(x);
    const untraced = untracedFor(x);
    const sdk = sdkFor(x);
    return [
      label(x.contender) + (x.truncated ? " (time budget hit)" : ""),
      String(x.count),
      ms(x.latency.p50),
      ms(x.latency.p99),
      rate(x.throughput),
      ratio(bare ? metric(x) / metric(bare) : undefined),
      ratio(sdk ? metric(x) / metric(sdk) : undefined),
      ratio(untraced ? metric(x) / metric(untraced) : undefined),
    ];
  });
  const what = sequential ? "p50 ratio, lower is better" : "ops/s ratio, higher is better";
  return [
    `${TITLES[workload] ?? workload}, ${layout}  (${what})`,
    ...render(["contender", "n", "p50 ms", "p99 ms", "ops/s", "vs bare", "vs SDK", "traced vs off"], body),
    "",
  ];
}

export function renderTable(r: Results): string {
  const label = (id: string): string => r.contenders.find((c) => c.id === id)?.label ?? id;
  const out: string[] = [];
  const m = r.machine;
  out.push(`a2a-mqtt benchmarks${r.quick ? " (--quick: small counts, figures are indicative only)" : ""}`);
  out.push(`${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}`);
  out.push(
    "Round trips, inline: client, server and aedes in one process (mosquitto is its own); process: client, server and broker each in its own.",
    "Scale: the server in a process of its own. Cold: servers and clients in the harness process.",
    "",
  );
  for (const layout of r.layouts) for (const w of Object.keys(TITLES)) out.push(...roundTripBlock(r, { workload: w, layout, label }));

  if (r.inFlight.length > 0) {
    out.push("Tasks in flight in one server process");
    out.push(
      ...render(
        ["contender", "tasks", "RSS before MB", "peak RSS MB", "elapsed s"],
        r.inFlight.map((x) => [label(x.contender), String(x.tasks), (x.rssBefore / MB).toFixed(1), (x.peakRss / MB).toFixed(1), (x.elapsedMs / 1000).toFixed(2)]),
      ),
      "",
    );
  }
  if (r.inARow.length > 0) {
    out.push("Tasks in a row, 100 in flight (heap in use after full GC: at start, half-way, at end)");
    const heap = (h: number[]): string =>
      [h[0], h[Math.floor((h.length - 1) / 2)], h[h.length - 1]].map((v) => ((v ?? Number.NaN) / MB).toFixed(1)).join(" / ");
    out.push(
      ...render(
        ["contender", "tasks", "server heap MB", "client heap MB", "ops/s"],
        r.inARow.map((x) => [
          label(x.contender) + (x.truncated ? " (time budget hit)" : ""),
          String(x.tasks),
          heap(x.serverHeap),
          heap(x.clientHeap),
          rate(x.throughput),
        ]),
      ),
      "",
    );
  }
  if (r.cards.length > 0) {
    out.push("Retained Agent Cards discovered by one client");
    const bare = (id: string) => r.cards.find((b) => b.contender === `bare/${id.split("/")[1]}`);
    out.push(
      ...render(
        ["contender", "cards", "elapsed s", "vs bare"],
        r.cards.map((x) => {
          const b = bare(x.contender);
          return [label(x.contender), x.cards === x.expected ? String(x.cards) : `${x.cards} of ${x.expected}`, (x.elapsedMs / 1000).toFixed(3), ratio(b ? x.elapsedMs / b.elapsedMs : undefined)];
        }),
      ),
      "",
    );
  }
  if (r.cold.length > 0) {
    out.push("Cold: a server from start to its card online, a new client to its first answered call (medians)");
    const sdk = r.cold.find((x) => x.contender === "sdk/http");
    out.push(
      ...render(
        ["contender", "rounds", "start → card online ms", "vs SDK", "new client → first answer ms", "vs SDK"],
        r.cold.map((x) => [
          label(x.contender),
          String(x.rounds),
          x.startToOnlineMs.toFixed(1),
          ratio(sdk ? x.startToOnlineMs / sdk.startToOnlineMs : undefined),
          x.firstCallMs.toFixed(1),
          ratio(sdk ? x.firstCallMs / sdk.firstCallMs : undefined),
        ]),
      ),
      "",
    );
  }
  if (r.tracing !== undefined) {
    const { off, on, spans } = r.tracing;
    out.push(`Tracing overhead: A2AClient → A2AAgent in one process, in-memory transport, ${off.calls} sequential calls × ${off.rounds} rounds per process (medians)`);
    out.push(
      ...render(
        ["tracing", "CPU µs/call", "wall µs/call", "spans", "CPU vs off"],
        [
          ["off (no SDK registered)", off.offCpuUs.toFixed(1), off.offWallUs.toFixed(1), "0", "1.00×"],
          ["on (SDK, spans discarded)", on.onCpuUs.toFixed(1), on.onWallUs.toFixed(1), String(on.spans), ratio(on.onCpuUs / off.offCpuUs)],
          ["on, no context manager", spans.onCpuUs.toFixed(1), spans.onWallUs.toFixed(1), String(spans.spans), ratio(spans.onCpuUs / off.offCpuUs)],
        ],
      ),
      "",
    );
  }
  if (r.targets.length > 0) {
    out.push("Targets");
    out.push(
      ...render(
        ["target", "contender", "measured", "limit", ""],
        r.targets.map((t) => [t.target, label(t.contender), `${t.value.toFixed(2)} ${t.unit}`, t.limit, t.pass ? "ok" : "MISSED"]),
      ),
      "",
    );
  }
  for (const u of r.unavailable) out.push(`not measured: ${u.id}: ${u.reason}`);
  return out.join("\n");
}
