import type { MachineInfo } from "./machine.js";
import type { RoundTripResult } from "../workloads/round-trip.js";
import type { InARowResult, InFlightResult } from "../workloads/scale.js";
import type { CardsResult } from "../workloads/cards.js";
import type { TelemetryOverheadResult } from "../workloads/telemetry.js";

export interface TargetCheck {
  target: string;
  contender: string;
  /** Measured value, in `unit`. */
  value: number;
  unit: string;
  limit: string;
  pass: boolean;
}

export interface Results {
  startedAt: string;
  durationS: number;
  quick: boolean;
  /** Where the round trips' servers ran: in the harness process, or each in its own. */
  layout: "inline" | "process";
  machine: MachineInfo;
  counts: Record<string, number>;
  contenders: Array<{ id: string; label: string }>;
  unavailable: Array<{ id: string; reason: string }>;
  roundTrips: RoundTripResult[];
  inFlight: InFlightResult[];
  inARow: InARowResult[];
  cards: CardsResult[];
  /** Tracing off and on, each in a process of its own (workloads/telemetry.ts). */
  tracing?: { off: TelemetryOverheadResult; on: TelemetryOverheadResult; spans: TelemetryOverheadResult };
  targets: TargetCheck[];
}
