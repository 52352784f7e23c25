import type { ScenarioOutcome } from "./outcome.js";
import type { Trace } from "./trace.js";

const LABELS: Record<string, string> = {
  discovery: "Discovery by Agent Card",
  "order-fulfilled": "Order fulfilled end to end",
  "streamed-progress": "Streamed progress events",
  "multi-turn": "Multi-turn (input-required)",
  cancellation: "Cancellation",
  "push-notification": "Push notification to webhook",
};

/** Prints the human summary of a run: one line per check, then the verdict. */
export function printSummary(trace: Trace, outcome: ScenarioOutcome): void {
  trace.print();
  trace.print(trace.bold("Summary"));
  for (const check of outcome.checks) {
    const mark = trace.status(check.ok, check.ok ? "✓" : "✗");
    trace.print(`  ${mark} ${(LABELS[check.name] ?? check.name).padEnd(30)} ${check.detail}`);
  }
  const where = outcome.embeddedBroker ? `embedded broker ${outcome.brokerUrl}` : `broker ${outcome.brokerUrl}`;
  trace.print();
  if (outcome.ok) {
    trace.print(trace.status(true, `All ${outcome.checks.length} checks passed in ${(outcome.durationMs / 1000).toFixed(2)} s on the ${where}.`));
  } else {
    trace.print(trace.status(false, `The demo failed: ${outcome.error ?? "a check failed"}`));
  }
}

/** The machine-readable summary: one JSON line. */
export function summaryJson(outcome: ScenarioOutcome): string {
  return JSON.stringify({
    ok: outcome.ok,
    durationMs: outcome.durationMs,
    brokerUrl: outcome.brokerUrl,
    embeddedBroker: outcome.embeddedBroker,
    checks: outcome.checks,
    agents: outcome.agents,
    progressEvents: outcome.progressEvents,
    pushDeliveries: outcome.pushDeliveries,
    order: outcome.order ?? null,
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  });
}
