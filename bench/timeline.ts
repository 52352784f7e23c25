/**
 * `pnpm bench:timeline`: where the time of a sequential round trip goes, process by
 * process. Runs `bench:profile` (without profilers) with every socket read and write
 * timestamped in the harness and in the server (lib/socket-timeline.ts), then prints the
 * medians of the four legs of each round trip: the request's way through the broker,
 * the server's turn (request read → reply written), the reply's way back, and the
 * client's turn (reply read → next request written). Process layout only: each side's
 * reads and writes are told apart by their process.
 *
 *   pnpm bench:timeline --contender=a2a --broker=mosquitto
 *   pnpm bench:timeline --contender=bare --broker=aedes --workload=send/data4k/sequential
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WARM_UP } from "./lib/warm-up.js";

const { values: args } = parseArgs({
  options: {
    contender: { type: "string", default: "a2a" },
    broker: { type: "string", default: "mosquitto" },
    workload: { type: "string", default: "send/text/sequential" },
    count: { type: "string", default: "8000" },
    // PUBACKs (4 bytes) are left out: they are not on a round trip's path.
    "min-bytes": { type: "string", default: "64" },
  },
});
if (!args.workload.endsWith("/sequential")) throw new Error("--workload must be a sequential one (send/text/sequential, send/data4k/sequential)");
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "a2a-bench-timeline-"));
try {
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      "--import",
      resolve(here, "lib/socket-timeline.ts"),
      resolve(here, "profile.ts"),
      `--contender=${args.contender}`,
      `--broker=${args.broker}`,
      "--layout=process",
      `--workload=${args.workload}`,
      `--count=${args.count}`,
      "--no-profile",
    ],
    { env: { ...process.env, BENCH_TIMELINE_DIR: dir }, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`bench:profile exited with ${run.status ?? run.signal}`);
  const summary = run.stdout.split("\n").find((line) => line.includes("/s") && line.includes(args.workload));
  if (summary !== undefined) console.log(summary);
  const minBytes = Number(args["min-bytes"]);
  printLegs(readEvents(dir, minBytes), minBytes);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

interface SocketEvent {
  at: number;
  side: "client" | "server";
  kind: "read" | "write";
}

function readEvents(from: string, minBytes: number): SocketEvent[] {
  const events: SocketEvent[] = [];
  for (const file of readdirSync(from)) {
    const [role, ...lines] = readFileSync(join(from, file), "utf8").split("\n");
    // The broker (aedes in a process) is neither side.
    const side = role === "harness" ? "client" : role === "a2a-agent" || role === "mqtt-responder" ? "server" : undefined;
    if (side === undefined) continue;
    for (const line of lines) {
      const [at, kind, bytes] = line.split(" ").map(Number) as [number, number, number];
      if (bytes >= minBytes) events.push({ at, side, kind: kind === 1 ? "read" : "write" });
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

function printLegs(events: SocketEvent[], minBytes: number): void {
  const legs = new Map<string, number[]>([
    ["client write → server read (request through the broker)", []],
    ["server read → server write (the server's turn)", []],
    ["server write → client read (reply through the broker)", []],
    ["client read → client write (the client's turn)", []],
  ]);
  const names = [...legs.keys()];
  const legOf = (from: SocketEvent, to: SocketEvent): string | undefined => {
    const key = `${from.side} ${from.kind} → ${to.side} ${to.kind}`;
    return names.find((name) => name.startsWith(key));
  };
  // Round trips of the warm-up are left out (the same share of the events).
  const warmUpShare = WARM_UP.sends / (WARM_UP.sends + Number(args.count));
  for (let i = Math.floor(events.length * warmUpShare) + 1; i < events.length; i++) {
    const leg = legOf(events[i - 1]!, events[i]!);
    if (leg !== undefined) legs.get(leg)!.push(events[i]!.at - events[i - 1]!.at);
  }
  let total = 0;
  console.log(`legs of a round trip (socket reads and writes of at least ${minBytes} bytes; medians):`);
  for (const [name, values] of legs) {
    if (values.length === 0) continue;
    values.sort((a, b) => a - b);
    const median = values[values.length >> 1]!;
    total += median;
    console.log(`  ${median.toFixed(1).padStart(7)} µs  ${name} (${values.length} round trips)`);
  }
  console.log(`  ${total.toFixed(1).padStart(7)} µs  in all`);
}
