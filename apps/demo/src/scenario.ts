import { A2AClient } from "@a2a/client";
import { CHECKS, type CheckOutcome, type ScenarioOutcome } from "./outcome.js";
import { PARTS, type ScenarioContext, type ScenarioPart } from "./steps.js";
import { startSupplyChain, type SupplyChain } from "./supply-chain.js";
import { Trace } from "./trace.js";

export interface ScenarioOptions {
  /** Where lines go. @default a Trace on stdout */
  trace?: Trace;
  /** An external broker URL; without it (and without `system`) an embedded broker starts. */
  broker?: string;
  /** A supply chain already running; it is left running. @default one started (and stopped) by the scenario */
  system?: SupplyChain;
  /** The whole scenario must finish within this time. @default 30000 */
  timeoutMs?: number;
  /** Multiplies the simulated work delays. @default 1 */
  pace?: number;
  signal?: AbortSignal;
}

/**
 * Runs the supply-chain story: discovery, an order fulfilled end to end with a
 * substitution to confirm, a cancelled order, and a push notification to a webhook.
 * Never throws for a failed check: the outcome says what failed.
 */
export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioOutcome> {
  const trace = options.trace ?? new Trace();
  const started = trace.elapsedMs();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(options.signal ? [options.signal] : [])]);
  const checks: CheckOutcome[] = [];
  const outcome: ScenarioOutcome = {
    ok: false,
    brokerUrl: options.system?.brokerUrl ?? options.broker ?? "",
    embeddedBroker: false,
    durationMs: 0,
    checks,
    agents: [],
    progressEvents: 0,
    pushDeliveries: 0,
  };
  let system = options.system;
  let client: A2AClient | undefined;
  try {
    if (system === undefined) {
      trace.step("Starting the supply chain");
      system = await startSupplyChain({
        trace,
        ...(options.broker === undefined ? {} : { broker: options.broker }),
        ...(options.pace === undefined ? {} : { pace: options.pace }),
      });
    }
    outcome.brokerUrl = system.brokerUrl;
    outcome.embeddedBroker = system.broker !== undefined;
    client = new A2AClient({ broker: system.brokerUrl, timeoutMs: 10_000 });
    const ctx: ScenarioContext = { client, trace, signal, system, outcome, record: (check) => void checks.push(check) };

    // Each part runs only if the ones before it passed: they build on each other.
    for (const part of PARTS) {
      await runPart(ctx, part, timeoutMs);
      if (checks.some((c) => !c.ok)) break;
    }
  } catch (error) {
    outcome.error = errorMessage(error);
    trace.fail("demo", outcome.error);
  } finally {
    await client?.close().catch(() => undefined);
    if (options.system === undefined) await system?.stop().catch(() => undefined);
  }
  for (const name of CHECKS) {
    if (!checks.some((c) => c.name === name)) checks.push({ name, ok: false, detail: "not run (an earlier step failed)" });
  }
  checks.sort((a, b) => CHECKS.indexOf(a.name) - CHECKS.indexOf(b.name));
  const failed = checks.find((c) => !c.ok);
  outcome.ok = failed === undefined && outcome.error === undefined;
  if (!outcome.ok && outcome.error === undefined) outcome.error = `${failed!.name}: ${failed!.detail}`;
  outcome.durationMs = Math.round(trace.elapsedMs() - started);
  return outcome;
}

/** Runs one part; a throw or the deadline fails those of its checks not yet recorded. */
async function runPart(ctx: ScenarioContext, part: ScenarioPart, timeoutMs: number): Promise<void> {
  const { signal } = ctx;
  let onAbort: (() => void) | undefined;
  try {
    const deadline = new Promise<never>((_, reject) => {
      onAbort = () => {
        const reason: unknown = signal.reason;
        const timedOut = reason instanceof DOMException && reason.name === "TimeoutError";
        reject(timedOut ? new Error(`timed out: the scenario did not finish within ${timeoutMs} ms`) : reason);
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    });
    const running = part.run(ctx);
    // After the deadline the part still winds down (its signal aborted); its late failure is not news.
    running.catch(() => undefined);
    await Promise.race([running, deadline]);
  } catch (error) {
    const detail = errorMessage(error);
    ctx.trace.fail("demo", detail);
    for (const name of part.checks) {
      if (!ctx.outcome.checks.some((c) => c.name === name)) ctx.record({ name, ok: false, detail });
    }
  } finally {
    if (onAbort !== undefined) signal.removeEventListener("abort", onAbort);
  }
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
