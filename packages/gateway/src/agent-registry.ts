import type { A2AClient, AgentInfo } from "@a2a/client";

/**
 * The agents behind the gateway, kept current from the broker's discovery topics on the
 * gateway's one MQTT connection, so that every HTTP request looks its agent up in memory.
 */
export class AgentRegistry {
  readonly #agents = new Map<string, AgentInfo>();
  readonly #stop = new AbortController();
  #watching: Promise<void> | undefined;

  /** Resolves once the retained cards present at start have arrived. */
  async start(client: A2AClient): Promise<void> {
    for (const info of await client.agents()) this.#agents.set(info.id, info);
    this.#watching = this.#watch(client);
  }

  async #watch(client: A2AClient): Promise<void> {
    try {
      for await (const event of client.watchAgents({ signal: this.#stop.signal, includeExisting: true })) {
        if (event.type === "removed") this.#agents.delete(event.agent.id);
        else this.#agents.set(event.agent.id, event.agent);
      }
    } catch {
      // Ends when the gateway closes (abort) or the client closes.
    }
  }

  get(id: string): AgentInfo | undefined {
    return this.#agents.get(id);
  }

  list(): AgentInfo[] {
    return [...this.#agents.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {
    this.#stop.abort();
    await this.#watching;
  }
}
