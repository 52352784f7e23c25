import type { MachineInfo } from "./machine.js";
import type { RoundTripResult } from "../workloads/round-trip.js";
import type { InARowResult, InFlightResult } from "../workloads/scale.js";
import type { CardsResult } from "../workloads/cards.js";
import type { TelemetryOverheadResult } from "../workloads/telemetry.js";
import type { ColdResult } from "../workloads/cold.js";
import type { Layout } from "./server.js";

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
  /** Where the round trips' servers ran: in the harness process, or each in its own (each row says which). */
  layouts: Layout[];
  machine: MachineInfo;
  counts: Record<string, number>;
  contenders: Array<{ id: string; label: string }>;
  unavailable: Array<{ id: string; reason: string }>;
  roundTrips: Array<RoundTripResult & { layout: Layout }>;
  inFlight: InFlightResult[];
  inARow: InARowResult[];
  cards: CardsResult[];
  cold: ColdResult[];
  /** Tracing off and on, each in a process of its own (workloads/telemetry.ts). */
  tracing?: { off: TelemetryOverheadResult; on: TelemetryOverheadResult; spans: TelemetryOverheadResult };
  targets: TargetCheck[];
}
