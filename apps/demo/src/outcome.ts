import type { OrderConfirmation } from "./agents/orchestrator.js";

/** The checks the scenario makes, in order. */
export const CHECKS = ["discovery", "order-fulfilled", "streamed-progress", "multi-turn", "cancellation", "push-notification"] as const;
export type CheckName = (typeof CHECKS)[number];

export interface CheckOutcome {
  name: CheckName;
  ok: boolean;
  /** What was seen, or why it failed. */
  detail: string;
}

/** What a run of the scenario showed; `ok` when every check passed. */
export interface ScenarioOutcome {
  ok: boolean;
  brokerUrl: string;
  embeddedBroker: boolean;
  durationMs: number;
  checks: CheckOutcome[];
  /** The first failure, when `ok` is false. */
  error?: string;
  /** The confirmation of the fulfilled order. */
  order?: OrderConfirmation;
  /** Agents found from their Agent Cards. */
  agents: string[];
  /** Progress (working) events streamed to the customer for the fulfilled order. */
  progressEvents: number;
  /** Push notifications received by the webhook. */
  pushDeliveries: number;
}
