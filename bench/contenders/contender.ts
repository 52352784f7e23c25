import type { BrokerKind } from "../lib/brokers.js";
import type { Layout, ServerHandle } from "../lib/server.js";
import type { PayloadKind } from "../lib/payloads.js";

export type Family = "bare" | "a2a" | "sdk";

/**
 * One way of doing the same work: the client half runs in the harness process,
 * the server half (`server`) in a child process, the broker (if any) in a third.
 */
export interface Contender {
  /** Stable key used in the JSON results, e.g. `a2a/aedes`. */
  readonly id: string;
  /** Column header in the table. */
  readonly label: string;
  readonly family: Family;
  readonly broker?: BrokerKind;
  /** The server answering requests (responder, agent or HTTP server). */
  readonly server: ServerHandle;
  /** Further servers on the path (the gateway in front of the agent). */
  readonly others?: readonly ServerHandle[];
  /** One SendMessage round trip that creates a Task and completes it. */
  send(kind: PayloadKind): Promise<void>;
  /** One SendStreamingMessage; resolves with the number of events received. */
  stream(kind: PayloadKind): Promise<number>;
  close(): Promise<void>;
}

export interface ContenderOptions {
  /**
   * Tasks the server must accept at once. The scale workload raises it to 10,000;
   * the round trips keep each server's defaults.
   */
  maxInFlight?: number;
}

/** Starts a contender's server (in `layout`) and connects its client. */
export type ContenderFactory = (layout: Layout, options?: ContenderOptions) => Promise<Contender>;

/** Thrown when a contender's packages are not usable yet; the run goes on without it. */
export class ContenderUnavailable extends Error {
  override readonly name = "ContenderUnavailable";
}
