import type { A2AClient, AgentInfo } from "@a2a/client";

/**
 * The agents behind the gateway, kept current from the broker's discovery topics on the
 * gateway's one MQTT connection, so that every HTTP request looks its agent up in memory.
 */
export class AgentRegistry {
  readonly #agents = new Map<string, AgentInfo>();
  readonly #stop = new AbortController();
  readonly #waiters = new Set<() => void>();
  #watching: Promise<void> | undefined;

  /** Resolves once the retained cards present at start have arrived. */
  async start(client: A2AClient): Promise<void> {
    for (const info of await client.findAgents()) this.#agents.set(info.id, info);
    this.#watching = this.#watch(client);
  }

  async #watch(client: A2AClient): Promise<void> {
    try {
      for await (const event of client.watchAgents({ signal: this.#stop.signal, includeExisting: true })) {
        if (event.type === "removed") this.#agents.delete(event.agent.id);
        else this.#agents.set(event.agent.id, event.agent);
        for (const wake of [...this.#waiters]) wake();
      }
    } catch {
      // Ends when the gateway closes (abort) or the client closes.
    }
  }

  get(id: string): AgentInfo | undefined {
    return this.#agents.get(id);
  }

  /** Resolves once agent `id` is known and online; rejects on timeout or abort. */
  online(id: string, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<AgentInfo> {
    const ready = () => {
      const info = this.#agents.get(id);
      return info?.status === "online" ? info : undefined;
    };
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<AgentInfo>((resolve, reject) => {
      const done = (error?: Error) => {
        this.#waiters.delete(wake);
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        if (error) reject(error);
      };
      const wake = () => {
        const info = ready();
        if (info === undefined) return;
        done();
        resolve(info);
      };
      const onAbort = () => done(new Error(`Waiting for agent ${id} was aborted.`));
      const timer = setTimeout(() => done(new Error(`Agent ${id} did not come online within ${timeoutMs} ms; is it running on this broker?`)), timeoutMs);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(wake);
    });
  }

  list(): AgentInfo[] {
    return [...this.#agents.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await this.#watching;
  }
}
