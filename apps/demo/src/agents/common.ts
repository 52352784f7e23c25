import type { A2AAgentOptions } from "@a2a/agent";
import type { Trace } from "../trace.js";

/** The organisation all demo agents belong to: their ids are `acme/{agent}`. */
export const ORG = "acme";

/** What every demo agent is started with. */
export interface DemoAgentOptions {
  /** Broker URL, e.g. `mqtt://127.0.0.1:1883`. */
  broker: string;
  trace: Trace;
  /** Multiplies the simulated work delays; 0 makes them instant. @default 1 */
  pace?: number;
}

/** The A2AAgent options shared by the demo agents. */
export function agentBase(agentId: string, options: DemoAgentOptions): Pick<A2AAgentOptions, "orgId" | "agentId" | "broker" | "onError" | "provider" | "stopGracePeriodMs"> {
  return {
    orgId: ORG,
    agentId,
    broker: options.broker,
    provider: { organization: "ACME Fluid Components", url: "https://example.com/acme" },
    stopGracePeriodMs: 1000,
    onError: (error) => options.trace.fail(agentId, error instanceof Error ? error.message : String(error)),
  };
}

/** `n` milliseconds scaled by the demo's pace. */
export function paced(options: DemoAgentOptions, ms: number): number {
  return Math.round(ms * (options.pace ?? 1));
}
