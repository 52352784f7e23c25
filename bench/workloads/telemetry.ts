/**
 * What the OpenTelemetry instrumentation costs, measured where nothing else hides it:
 * sequential SendMessage round trips between an A2AClient and an A2AAgent in this
 * process over the in-memory transport (no broker, no sockets), in rounds that
 * alternate between tracing off (no SDK registered: the libraries' no-op path) and on
 * (lib/tracing.ts: SDK tracer and meter providers, batch span processor, spans
 * discarded, the AsyncLocalStorage context manager). CPU time per call is the figure:
 * on a busy machine it moves far less than wall time. Alternating rounds cancel drift.
 * `pnpm bench` runs "off" and "on" each in a process of its own (see {@link runIsolated}):
 * once an AsyncLocalStorage has been used, Node 20 keeps paying for async hooks, which
 * would slow the untraced rounds of a mixed process too.
 *
 * Also runs alone: `tsx --conditions=@a2a/source bench/workloads/telemetry.ts [calls] [rounds] [off|on|both]`.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { A2AAgent } from "@a2a/agent";
import { A2AClient } from "@a2a/client";
import { InMemoryBroker, InMemoryTransport } from "@a2a/transport";
import { startTelemetry, type Telemetry } from "../lib/tracing.js";

export interface TelemetryOverheadResult {
  calls: number;
  rounds: number;
  /** Median over rounds of CPU microseconds (user + system) per call. */
  offCpuUs: number;
  onCpuUs: number;
  /** Median over rounds of wall-clock microseconds per call. */
  offWallUs: number;
  onWallUs: number;
  /** Spans the traced side exported (three per call: client, request, task). */
  spans: number;
}

interface Pair {
  call(): Promise<void>;
  close(): Promise<void>;
}

async function startPair(name: string, telemetry: Telemetry | undefined): Promise<Pair> {
  const broker = new InMemoryBroker();
  const agentTransport = new InMemoryTransport({ broker, clientId: `${name}-agent` });
  const providers = telemetry === undefined ? {} : { tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider };
  const agent = new A2AAgent({ orgId: "bench", agentId: name, name, description: "echo", broker: agentTransport, ...providers });
  agent.skill({ id: "echo", description: "echo", handler: async (_input, ctx) => ctx.message.parts });
  await agentTransport.connect();
  await agent.start();
  const client = new A2AClient({ broker: new InMemoryTransport({ broker, clientId: `${name}-client` }), discovery: false, ...providers });
  const target = client.agent(`bench/${name}`);
  return {
    async call() {
      await target.sendMessage({ message: { messageId: randomUUID(), role: "ROLE_USER", parts: [{ text: "hello" }] } });
    },
    async close() {
      await client.close();
      await agent.stop({ gracePeriodMs: 0 });
      await agentTransport.close();
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measure(pair: Pair, calls: number): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await pair.call();
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000 / calls;
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / calls, wallUs };
}

export async function telemetryOverhead(options: {
  calls: number;
  rounds: number;
  /** Which rounds to run; "spans" is "on" without the context manager. @default "both" */
  mode?: "off" | "on" | "both" | "spans";
  onProgress?: (text: string) => void;
}): Promise<TelemetryOverheadResult> {
  const telemetry = startTelemetry();
  // The context manager is switched on only for the traced rounds: it costs every async step in the process.
  context.disable();
  const off = await startPair("off", undefined);
  const on = await startPair("on", telemetry);
  const manager = new AsyncLocalStorageContextManager();
  const results = { off: [] as Array<{ cpuUs: number; wallUs: number }>, on: [] as Array<{ cpuUs: number; wallUs: number }> };
  try {
    // Warm-up of both, then alternating rounds.
    const mode = options.mode ?? "both";
    const warmup = Math.min(500, options.calls);
    const traced = async (calls: number) => {
      if (mode === "spans") return measure(on, calls);
      context.setGlobalContextManager(manager.enable());
      try {
        return await measure(on, calls);
      } finally {
        context.disable();
      }
    };
    if (mode !== "on") await measure(off, warmup);
    if (mode !== "off") await traced(warmup);
    for (let round = 0; round < options.rounds; round++) {
      options.onProgress?.(`tracing ${mode}: round ${round + 1}/${options.rounds}`);
      globalThis.gc?.();
      if (mode !== "on") results.off.push(await measure(off, options.calls));
      globalThis.gc?.();
      if (mode !== "off") results.on.push(await traced(options.calls));
    }
  } finally {
    await off.close();
    await on.close();
    await telemetry.tracerProvider.forceFlush();
  }
  const spans = telemetry.exported();
  await telemetry.shutdown();
  return {
    calls: options.calls,
    rounds: options.rounds,
    offCpuUs: median(results.off.map((r) => r.cpuUs)),
    onCpuUs: median(results.on.map((r) => r.cpuUs)),
    offWallUs: median(results.off.map((r) => r.wallUs)),
    onWallUs: median(results.on.map((r) => r.wallUs)),
    spans,
  };
}

/** Runs one mode in a child process (same loader flags) and reads its result line. */
export function runIsolated(mode: "off" | "on" | "spans", calls: number, rounds: number): Promise<TelemetryOverheadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(calls), String(rounds), mode], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`the tracing ${mode} workload exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as TelemetryOverheadResult);
    });
  });
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, "/"))) {
  const calls = Number(process.argv[2] ?? 2000);
  const rounds = Number(process.argv[3] ?? 5);
  const mode = (process.argv[4] ?? "both") as "off" | "on" | "both" | "spans";
  telemetryOverhead({ calls, rounds, mode, onProgress: (t) => process.stderr.write(`${t}\n`) }).then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
