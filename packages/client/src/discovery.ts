import { agentCardFromCompactCard, CompactAgentCardSchema, type AgentCard } from "@a2a/schema";
import { presenceOf, STATUS_USER_PROPERTY, willSentAt } from "@a2a/transport/binding";
import type { InboundMessage, Subscription, TopicScheme, Transport } from "@a2a/transport";
import { A2AClientError, abortError } from "./errors.js";
import { PoolPresence } from "./pool-presence.js";
import { MessageArrivals, retainedLoadSettled } from "./retained-load.js";
import { strictAgentCard } from "./strict-card.js";

/**
 * The live directory of agents, built from the retained Agent Cards on
 * `discovery/{org}/{agent}` and the presence extension inside each card.
 */

/** Whether an agent can take requests, as its card says. */
export type AgentStatus = "online" | "offline";

/** One agent as known from its retained card. */
export interface AgentInfo {
  /** `org/agent`, the address used by `client.agent(id)` (`org/unit/agent` on the EMQX profile). */
  id: string;
  /** `"emqx"` for an agent found on the EMQX profile's discovery topics; absent for this project's binding. */
  scheme?: "emqx";
  org: string;
  agent: string;
  card: AgentCard;
  /**
   * From the card's presence extension (or the MQTT 5 `a2a-status` property). A card
   * without presence (e.g. a seed agent) counts as online: it is retained only while
   * the agent runs.
   */
  status: AgentStatus;
  /** When the status last changed, as the agent reported it (ISO 8601). */
  since?: string;
  /**
   * What the card itself says, when it differs from `status`: a pool's card stays
   * online after its last instance died, whose presence says offline.
   */
  cardStatus?: AgentStatus;
}

export interface AgentEvent {
  /**
   * `online`/`offline`: first seen or status changed; `updated`: same status, new card;
   * `removed`: the retained card was cleared (the agent stopped for good).
   */
  type: "online" | "offline" | "updated" | "removed";
  agent: AgentInfo;
}

export interface AgentQuery {
  /** Skill id (exact) or skill name (case-insensitive). */
  skill?: string;
  /** Tag carried by any of the agent's skills (case-insensitive). */
  tag?: string;
  /** Only agents with this status. @default any */
  status?: AgentStatus;
}

export interface DirectoryOptions {
  transport: Transport;
  /** The topic layout (and prefix) in use. */
  topics: TopicScheme;
  /** Quiet period after the last retained card that ends the initial load. @default 50 */
  quietMs?: number;
  /**
   * Longest the initial load waits for quiet while live changes keep arriving; retained
   * cards still being read out extend it (up to 30 s). @default 2000
   */
  maxWaitMs?: number;
  /** Largest card accepted, in bytes. @default 262_144 */
  maxCardBytes?: number;
  /** Most agents tracked. @default 10_000 */
  maxAgents?: number;
  /** Called on every change (the client fails calls to agents that went offline). */
  onEvent?: (event: AgentEvent) => void;
  /** Watch only these orgs' cards (`discovery/{org}/+` each). @default every org (`discovery/+/+`) */
  orgs?: readonly string[] | undefined;
}

export interface WatchOptions {
  signal?: AbortSignal;
  /** Start with one `online`/`offline` event per agent already known. @default true */
  includeExisting?: boolean;
  /** Events held for a slow consumer before the watch fails. @default 10_000 */
  maxBuffered?: number;
}

interface Watcher {
  push(event: AgentEvent): void;
  /** Wakes the consumer so it sees that the watch ended. */
  end(): void;
}

export class AgentDirectory {
  readonly #transport: Transport;
  readonly #topics: TopicScheme;
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  readonly #maxCardBytes: number;
  readonly #maxAgents: number;
  readonly #onEvent: ((event: AgentEvent) => void) | undefined;
  readonly #agents = new Map<string, AgentInfo>();
  readonly #watchers = new Set<Watcher>();
  #subscriptions: Subscription[] = [];
  readonly #filters: string[];
  readonly #poolFilters: string[];
  readonly #pools: PoolPresence;
  #starting: Promise<void> | undefined;
  #loaded: Promise<void> | undefined;
  readonly #arrivals = new MessageArrivals();
  #subscribedAt = 0;
  #loadedDone = false;
  #closed = false;

  constructor(options: DirectoryOptions) {
    this.#transport = options.transport;
    this.#topics = options.topics;
    this.#quietMs = options.quietMs ?? 50;
    this.#maxWaitMs = options.maxWaitMs ?? 2000;
    this.#maxCardBytes = options.maxCardBytes ?? 256 * 1024;
    this.#maxAgents = options.maxAgents ?? 10_000;
    this.#onEvent = options.onEvent;
    const cards = options.orgs === undefined ? [options.topics.discoveryFilter()] : options.orgs.map((org) => options.topics.discoveryFilter(org));
    this.#filters = cards;
    // The presence of pool instances under each: optional, an ACL may not grant it.
    this.#poolFilters = cards.map((filter) => `${filter}/instances/+`);
    this.#pools = new PoolPresence(options.topics.prefix);
  }

  /** The agent's entry, if its card has been seen. */
  get(id: string): AgentInfo | undefined {
    return this.#agents.get(id);
  }

  /** True once the retained cards have arrived: {@link lookup} then answers at once. */
  get loaded(): boolean {
    return this.#loaded !== undefined && this.#loadedDone;
  }

  /**
   * The agent's entry once known: at once if its card has been seen, else as soon as it
   * arrives or the initial load ends (then `undefined`: no retained card).
   */
  async lookup(id: string, signal?: AbortSignal): Promise<AgentInfo | undefined> {
    const known = this.#agents.get(id);
    if (known || this.#loaded !== undefined && this.#loadedDone) return known;
    let onArrival: Watcher | undefined;
    const arrived = new Promise<void>((resolve) => {
      onArrival = { push: (e) => e.agent.id === id && resolve(), end: resolve };
      this.#watchers.add(onArrival);
    });
    try {
      await Promise.race([this.load(signal), arrived]);
    } finally {
      this.#watchers.delete(onArrival!);
    }
    return this.#agents.get(id);
  }

  /**
   * Subscribes to the discovery topics (once) and resolves when the retained cards have
   * arrived: after a quiet period following the subscribe acknowledgement, bounded by
   * `maxWaitMs`.
   */
  load(signal?: AbortSignal): Promise<void> {
    this.#loaded ??= this.start().then(() => this.#settle());
    if (!signal) return this.#loaded;
    if (signal.aborted) return Promise.reject(abortError(signal, "Loading the agent directory"));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(abortError(signal, "Loading the agent directory"));
      signal.addEventListener("abort", onAbort, { once: true });
      this.#loaded!.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  /** Starts the subscription without waiting for the initial load. */
  start(): Promise<void> {
    const subscribe = (filter: string, handler: (m: InboundMessage) => void) => this.#transport.subscribe(filter, handler, { qos: 1 });
    // The filters are disjoint (two levels under discovery/ against four): each handler
    // knows what its messages are.
    this.#starting ??= Promise.all([
      ...this.#filters.map((filter) => subscribe(filter, (m) => this.#onCard(m))),
      ...this.#poolFilters.map((filter) => subscribe(filter, (m) => this.#onPoolPresence(m)).catch(() => undefined)),
    ]).then((all) => {
      const subs = all.filter((sub): sub is Subscription => sub !== undefined);
      this.#subscribedAt = Date.now();
      if (this.#closed) for (const sub of subs) void sub.unsubscribe();
      else this.#subscriptions = subs;
    });
    return this.#starting;
  }

  #settle(): Promise<void> {
    return retainedLoadSettled({
      quietMs: this.#quietMs,
      maxWaitMs: this.#maxWaitMs,
      subscribedAt: () => this.#subscribedAt,
      arrivals: this.#arrivals,
      closed: () => this.#closed,
    }).then(() => {
      this.#loadedDone = true;
    });
  }

  /** A snapshot of the agents known now, sorted by id. */
  list(query: AgentQuery = {}): AgentInfo[] {
    return [...this.#agents.values()].filter((a) => agentMatches(a, query)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Agent events as an async iterable; ends when `signal` aborts or the directory closes. */
  watch(options: WatchOptions = {}): AsyncIterable<AgentEvent> {
    const { signal, includeExisting = true, maxBuffered = 10_000 } = options;
    const queue: AgentEvent[] = [];
    let wake: (() => void) | undefined;
    let failure: A2AClientError | undefined;
    const watcher: Watcher = {
      push: (event) => {
        if (queue.length >= maxBuffered) {
          failure = new A2AClientError("OVERFLOW", `The agent watch fell more than ${maxBuffered} events behind; iterate it faster or watch again.`);
          this.#watchers.delete(watcher);
        } else queue.push(event);
        wake?.();
      },
      end: () => wake?.(),
    };
    // Register at once so no event between this call and the first next() is lost.
    if (includeExisting) for (const agent of this.list()) queue.push({ type: agent.status, agent });
    this.#watchers.add(watcher);
    const stop = () => {
      this.#watchers.delete(watcher);
      wake?.();
    };
    signal?.addEventListener("abort", stop, { once: true });
    const start = () => this.start();
    const ended = () => this.#closed || !this.#watchers.has(watcher);
    const watchers = this.#watchers;
    return {
      async *[Symbol.asyncIterator]() {
        try {
          await start();
          for (;;) {
            const event = queue.shift();
            if (event) {
              yield event;
              continue;
            }
            if (failure) throw failure;
            if (signal?.aborted || ended()) return;
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        } finally {
          signal?.removeEventListener("abort", stop);
          watchers.delete(watcher);
        }
      },
    };
  }

  /** Unsubscribes and ends every watch. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const w of [...this.#watchers]) {
      this.#watchers.delete(w);
      w.end();
    }
    await Promise.all(this.#subscriptions.map((sub) => sub.unsubscribe()));
  }

  /** Notes the message for the initial load; false once closed (then it is ignored). */
  #arrived(message: InboundMessage): boolean {
    this.#arrivals.note(message);
    return !this.#closed;
  }

  #onPoolPresence(message: InboundMessage): void {
    if (!this.#arrived(message)) return;
    const pool = this.#pools.update(message);
    if (pool !== undefined) this.#poolChanged(pool);
  }

  #onCard(message: InboundMessage): void {
    if (!this.#arrived(message)) return;
    const ids = this.#parseTopic(message.topic);
    if (!ids) return;
    const id = `${ids.org}/${ids.agent}`;
    const previous = this.#agents.get(id);
    if (message.payload.byteLength === 0) {
      if (previous) {
        this.#agents.delete(id);
        this.#emit({ type: "removed", agent: previous });
      }
      return;
    }
    const info = this.#parseCard(message, ids);
    if (!info) return; // not a valid card: ignore rather than trust it
    if (!previous && this.#agents.size >= this.#maxAgents) return;
    this.#agents.set(id, info);
    if (!previous || previous.status !== info.status) this.#emit({ type: info.status, agent: info });
    else this.#emit({ type: "updated", agent: info });
  }

  /** An instance of a pool came or went: the pool's status may have changed. */
  #poolChanged(id: string): void {
    const info = this.#agents.get(id);
    if (!info) return;
    const cardStatus = info.cardStatus ?? info.status;
    const status = this.#pools.effective(id, cardStatus);
    if (status === info.status) return;
    const { cardStatus: _previous, ...rest } = info;
    const next: AgentInfo = { ...rest, status, since: new Date().toISOString() };
    if (status !== cardStatus) next.cardStatus = cardStatus;
    this.#agents.set(id, next);
    this.#emit({ type: status, agent: next });
  }

  #emit(event: AgentEvent): void {
    this.#onEvent?.(event);
    // A copy, as a watcher's push may remove it; none to make while nobody watches.
    if (this.#watchers.size > 0) for (const w of [...this.#watchers]) w.push(event);
  }

  #parseTopic(topic: string): { org: string; agent: string } | undefined {
    const parsed = this.#topics.parse(topic);
    return parsed?.kind === "discovery" ? { org: parsed.org, agent: parsed.agent } : undefined;
  }

  #parseCard(message: InboundMessage, ids: { org: string; agent: string }): AgentInfo | undefined {
    if (message.payload.byteLength > this.#maxCardBytes) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(UTF8.decode(message.payload));
    } catch {
      return undefined;
    }
    const card = readCard(json, ids);
    if (!card) return undefined;
    const presence = presenceOf(card);
    const propertyStatus = message.properties.userProperties?.[STATUS_USER_PROPERTY];
    const cardStatus: AgentStatus =
      presence?.status ?? (propertyStatus === "offline" ? "offline" : "online");
    const id = `${ids.org}/${ids.agent}`;
    const status = this.#pools.effective(id, cardStatus);
    const info: AgentInfo = { id, org: ids.org, agent: ids.agent, card, status };
    if (status !== cardStatus) info.cardStatus = cardStatus;
    const since = presence?.will ? willSince(message) : presence?.since;
    if (since !== undefined) info.since = since;
    return info;
  }
}

// Stateless for whole payloads: one serves every card.
const UTF8 = new TextDecoder();

/**
 * When an agent whose will this is went offline: from the expiry the broker counts down
 * (MQTT 5), else now for a will seen as it is sent; unknown for a retained will on
 * MQTT 3.1.1 (its `since` is when the agent connected, not when it went away).
 */
function willSince(message: InboundMessage): string | undefined {
  const sent = willSentAt(message.properties.messageExpiryInterval) ?? (message.retain ? undefined : new Date());
  return sent?.toISOString();
}

/** A 1.0 card, or a seed agent's compact card converted to 1.0; undefined when neither. */
function readCard(json: unknown, ids: { org: string; agent: string }): AgentCard | undefined {
  const card = strictAgentCard(json);
  if (card !== undefined) return card;
  const compact = CompactAgentCardSchema.safeParse(json);
  if (!compact.success) return undefined;
  try {
    return agentCardFromCompactCard(compact.data, { ids: { orgId: ids.org, agentId: ids.agent } });
  } catch {
    return undefined;
  }
}

/** Whether an agent answers a query (both directories' `list`). */
export function agentMatches(agent: AgentInfo, query: AgentQuery): boolean {
  if (query.status !== undefined && agent.status !== query.status) return false;
  const skills = agent.card.skills;
  if (query.skill !== undefined) {
    const wanted = query.skill.toLowerCase();
    if (!skills.some((s) => s.id === query.skill || s.name.toLowerCase() === wanted)) return false;
  }
  if (query.tag !== undefined) {
    const wanted = query.tag.toLowerCase();
    if (!skills.some((s) => s.tags.some((t) => t.toLowerCase() === wanted))) return false;
  }
  return true;
}
