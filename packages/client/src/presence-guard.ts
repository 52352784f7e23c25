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
}

/**
 * Decides when an agent's offline card fails the calls in flight to it.
 *
 * An offline card seen while this client is connected means the agent's connection
 * died (its will): its calls fail at once. An offline card seen while this client is
 * itself reconnecting, or shortly after, most likely comes from a broker restart, which
 * cut every connection and published every will; the agent comes back with its
 * persistent session and answers. Its calls then fail only if it is still offline after
 * `graceMs`.
 */
export class PresenceGuard {
  readonly #o: PresenceGuardOptions;
  readonly #deferred = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #unlisten: Array<() => void>;
  #connectionDown = false;
  #reconnectedAt = Number.NEGATIVE_INFINITY;

  constructor(options: PresenceGuardOptions) {
    this.#o = options;
    this.#unlisten = [
      options.transport.on("disconnected", () => {
        this.#connectionDown = true;
      }),
      options.transport.on("connected", (event) => {
        this.#connectionDown = false;
        if (event.reconnected) this.#reconnectedAt = Date.now();
      }),
    ];
  }

  onAgentEvent(event: AgentEvent): void {
    const id = event.agent.id;
    if (event.type !== "offline") {
      // Back online, or removed (a graceful stop, which still answers its calls).
      this.#cancel(id);
      return;
    }
    const aroundReconnect = this.#connectionDown || Date.now() - this.#reconnectedAt < this.#o.graceMs;
    if (!aroundReconnect) {
      this.#cancel(id);
      this.#o.failAgent(id);
      return;
    }
    if (this.#deferred.has(id)) return;
    const timer = setTimeout(() => {
      this.#deferred.delete(id);
      if (this.#o.isOffline(id)) this.#o.failAgent(id);
    }, this.#o.graceMs);
    timer.unref?.();
    this.#deferred.set(id, timer);
  }

  close(): void {
    for (const unlisten of this.#unlisten) unlisten();
    for (const timer of this.#deferred.values()) clearTimeout(timer);
    this.#deferred.clear();
  }

  #cancel(id: string): void {
    const timer = this.#deferred.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#deferred.delete(id);
  }
}
