import type { Transport } from "@a2a/transport";
import type { AgentEvent } from "./discovery.js";

export interface PresenceGuardOptions {
  transport: Transport;
  /**
   * How long an agent reported offline around a reconnect of this client may take to
   * come back online before its calls fail.
   */
  graceMs: number;
  /** True while the directory still says the agent is offline. */
  isOffline: (agentId: string) => boolean;
  /** Fails the calls in flight to `agentId`. */
  failAgent: (agentId: string) => void;
  /**
   * A round trip to the broker (e.g. a SUBSCRIBE answered by its SUBACK). Settling
   * while this client stayed connected proves that the broker which delivered an
   * offline card is still running, so the card is the agent's own death.
   */
  pingBroker: () => Promise<unknown>;
}

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  /** The connection the offline card arrived on; undefined when it came around a reconnect. */
  connection: number | undefined;
}

/**
 * Decides when an agent's offline card fails the calls in flight to it.
 *
 * A broker that shuts down (a restart) publishes every client's will before it closes
 * the connections, so an offline card can reach this client while it still looks
 * connected. The card therefore fails the agent's calls at once only after a round trip
 * to the broker succeeded on the same connection: the broker still runs, so the agent's
 * own connection died. An offline card seen while this client is reconnecting, shortly
 * after, or followed by the loss of this client's connection most likely comes from a
 * broker restart; the agent comes back with its persistent session and answers. Its
 * calls then fail only if it is still offline `graceMs` after the card.
 */
export class PresenceGuard {
  readonly #o: PresenceGuardOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #unlisten: Array<() => void>;
  #connectionDown = false;
  /** Counts this client's connections: an answer on a later one proves nothing. */
  #connection = 0;
  #reconnectedAt = Number.NEGATIVE_INFINITY;

  constructor(options: PresenceGuardOptions) {
    this.#o = options;
    this.#unlisten = [
      options.transport.on("disconnected", () => {
        this.#connectionDown = true;
        this.#connection++;
      }),
      options.transport.on("connected", (event) => {
        this.#connectionDown = false;
        if (event.reconnected) this.#reconnectedAt = Date.now();
      }),
    ];
  }

  /**
   * True while an offline card of the agent is still being judged (the broker round
   * trip or the grace period runs): a new call may still be answered, and fails with
   * the others if the agent turns out to be gone.
   */
  judging(agentId: string): boolean {
    return this.#pending.has(agentId);
  }

  onAgentEvent(event: AgentEvent): void {
    const id = event.agent.id;
    if (event.type !== "offline") {
      // Back online, or removed (a graceful stop, which still answers its calls).
      this.#cancel(id);
      return;
    }
    if (this.#pending.has(id)) return;
    const aroundReconnect = this.#connectionDown || Date.now() - this.#reconnectedAt < this.#o.graceMs;
    const timer = setTimeout(() => this.#decide(id), this.#o.graceMs);
    timer.unref?.();
    const pending: Pending = { timer, connection: aroundReconnect ? undefined : this.#connection };
    this.#pending.set(id, pending);
    if (aroundReconnect) return;
    // A rejected round trip proves nothing either way: the grace period decides.
    this.#o.pingBroker().then(
      () => {
        if (this.#pending.get(id) === pending && pending.connection === this.#connection && !this.#connectionDown) this.#decide(id);
      },
      () => undefined,
    );
  }

  close(): void {
    for (const unlisten of this.#unlisten) unlisten();
    for (const { timer } of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #decide(id: string): void {
    this.#cancel(id);
    if (this.#o.isOffline(id)) this.#o.failAgent(id);
  }

  #cancel(id: string): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
  }
}
