import type { AgentEvent, AgentInfo } from "@a2a/client";

/** One agent as the console shows it. */
export interface AgentEntry {
  info: AgentInfo;
  /** `removed`: its retained card was cleared (a graceful stop). */
  status: "online" | "offline" | "removed";
  /** When the status last changed: the agent's own `since` when it reports one. */
  since: number;
  /** When the console last heard of it. */
  lastEvent: number;
}

const MAX_AGENTS = 10_000;

/** The agents known from discovery, updated from the client's agent events. */
export class AgentsModel {
  readonly #agents = new Map<string, AgentEntry>();

  apply(event: AgentEvent, now = Date.now()): AgentEntry | undefined {
    const { agent } = event;
    const known = this.#agents.get(agent.id);
    if (known === undefined && this.#agents.size >= MAX_AGENTS) return undefined;
    const status = event.type === "removed" ? "removed" : agent.status;
    const reported = agent.since === undefined ? Number.NaN : Date.parse(agent.since);
    const changed = known === undefined || known.status !== status;
    const since = changed ? (Number.isFinite(reported) && status !== "removed" ? reported : now) : known.since;
    const entry: AgentEntry = { info: agent, status, since, lastEvent: now };
    this.#agents.set(agent.id, entry);
    return entry;
  }

  get(id: string): AgentEntry | undefined {
    return this.#agents.get(id);
  }

  /** By id: a status change never moves a row. */
  list(): AgentEntry[] {
    return [...this.#agents.values()].sort((a, b) => a.info.id.localeCompare(b.info.id));
  }

  get size(): number {
    return this.#agents.size;
  }
}
