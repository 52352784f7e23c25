import type { AgentCard } from "@a2a/schema";
import type { InboundMessage, Subscription, Transport } from "@a2a/transport";
import {
  EMQX_STATUS_PROPERTY,
  EMQX_STATUS_SOURCE_PROPERTY,
  JwksUriPolicy,
  cardJwksRefusal,
  formatEmqxAddress,
  isJsonObject,
  parseJsonPayload,
  type EmqxStatusSource,
  type EmqxTopicScheme,
  type JwksUriPolicyOptions,
} from "@a2a/transport/binding";
import { agentMatches, type AgentInfo, type AgentQuery } from "../discovery.js";
import { MessageArrivals, retainedLoadSettled } from "../retained-load.js";
import { strictAgentCard } from "../strict-card.js";

/** An agent found on the profile's discovery topics. */
export interface EmqxAgentInfo extends AgentInfo {
  scheme: "emqx";
  /** `org/unit/agent`: the address `client.agent(id)` takes. */
  id: string;
  unit: string;
  /**
   * Who set the status: `agent`, `lwt` (its will) or `broker` (broker-managed). Advisory
   * only, as the profile says: calls still follow the retry profile whatever it says.
   */
  statusSource?: EmqxStatusSource;
}

export interface EmqxDirectoryOptions {
  transport: Transport;
  topics: EmqxTopicScheme;
  scopes?: readonly { org?: string; unit?: string }[] | undefined;
  /** @default 262_144 */
  maxCardBytes?: number;
  /** @default 10_000 */
  maxAgents?: number;
  /** Payload bytes of all cards held; a card past it is not taken. @default 67_108_864 (64 MiB) */
  maxTotalCardBytes?: number;
  /** Quiet period after the last retained card that ends the initial load. @default 50 */
  quietMs?: number;
  /** Longest the initial load waits for quiet while live changes arrive; retained cards still arriving extend it (up to 30 s). @default 2000 */
  maxWaitMs?: number;
  /** Only cards whose `jwksUri` (if any) these trust are taken. @default every card */
  trustedJwksUris?: JwksUriPolicyOptions | undefined;
}

/**
 * The agents of the profile, from the retained cards on `{root}/discovery/{org}/{unit}/{agent}`
 * (the profile's "Discovery Subscriber Behavior"): a retained card is the current
 * registration, a later one replaces it, an empty one removes it; `a2a-status` (with
 * `a2a-status-source=broker` preferred when a broker adds it) is the advisory status.
 */
export class EmqxDirectory {
  readonly #o: EmqxDirectoryOptions;
  readonly #agents = new Map<string, EmqxAgentInfo>();
  /** The payload size of each card held, and their sum: the directory is bounded in bytes too. */
  readonly #sizes = new Map<string, number>();
  #totalBytes = 0;
  #subscriptions: Subscription[] = [];
  #loaded: Promise<void> | undefined;
  readonly #arrivals = new MessageArrivals();
  #closed = false;

  readonly #jwksPolicy: JwksUriPolicy | undefined;

  constructor(options: EmqxDirectoryOptions) {
    this.#o = options;
    this.#jwksPolicy = options.trustedJwksUris === undefined ? undefined : new JwksUriPolicy(options.trustedJwksUris);
  }

  get(id: string): EmqxAgentInfo | undefined {
    return this.#agents.get(id);
  }

  /** Subscribes and resolves once the retained cards have arrived (a quiet period after the subscribe). */
  load(): Promise<void> {
    this.#loaded ??= this.#start();
    return this.#loaded;
  }

  list(query: AgentQuery = {}): EmqxAgentInfo[] {
    return [...this.#agents.values()].filter((info) => agentMatches(info, query));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled(this.#subscriptions.splice(0).map((s) => s.unsubscribe()));
  }

  async #start(): Promise<void> {
    const scopes = this.#o.scopes ?? [{}];
    const started = Date.now();
    for (const scope of scopes) {
      this.#subscriptions.push(await this.#o.transport.subscribe(this.#o.topics.discoveryFilter(scope), (m) => this.#onMessage(m), { qos: 1 }));
    }
    const subscribedAt = Date.now();
    // The scopes' subscriptions took part of the wait already.
    const maxWaitMs = Math.max(0, (this.#o.maxWaitMs ?? 2000) - (subscribedAt - started));
    await retainedLoadSettled({
      quietMs: this.#o.quietMs ?? 50,
      maxWaitMs,
      subscribedAt: () => subscribedAt,
      arrivals: this.#arrivals,
      closed: () => this.#closed,
    });
  }

  #onMessage(message: InboundMessage): void {
    this.#arrivals.note(message);
    const topic = this.#o.topics.parse(message.topic);
    if (topic?.kind !== "discovery") return;
    const id = formatEmqxAddress(topic);
    if (message.payload.byteLength === 0) {
      this.#remove(id);
      return;
    }
    const card = readCard(message.payload, this.#o.maxCardBytes ?? 256 * 1024);
    if (card === undefined) return;
    if (!this.#agents.has(id) && this.#agents.size >= (this.#o.maxAgents ?? 10_000)) return;
    const size = message.payload.byteLength;
    if (this.#totalBytes - (this.#sizes.get(id) ?? 0) + size > (this.#o.maxTotalCardBytes ?? 64 * 1024 * 1024)) return;
    // Cards naming keys outside the trusted JWKS URIs are not taken (the Extended "trusted JKU policy").
    if (this.#jwksPolicy !== undefined && cardJwksRefusal(card, this.#jwksPolicy) !== undefined) {
      this.#remove(id);
      return;
    }
    const { status, source } = advisoryStatus(message.properties.userProperties ?? {});
    const info: EmqxAgentInfo = {
      scheme: "emqx",
      id,
      org: topic.org,
      unit: topic.unit,
      agent: topic.agent,
      card,
      // A card without a2a-status is taken as registered and reachable (the property is a SHOULD).
      status: status === "offline" ? "offline" : "online",
    };
    if (source === "agent" || source === "lwt" || source === "broker") info.statusSource = source;
    this.#totalBytes += size - (this.#sizes.get(id) ?? 0);
    this.#sizes.set(id, size);
    this.#agents.set(id, info);
  }

  #remove(id: string): void {
    this.#agents.delete(id);
    this.#totalBytes -= this.#sizes.get(id) ?? 0;
    this.#sizes.delete(id);
  }
}

/**
 * The status a card message says. A broker that attaches its own status beside the
 * agent's makes the properties repeat (our transport joins repeated values with `,`):
 * the broker's pair is preferred (the profile: it knows the connection state).
 */
export function advisoryStatus(user: Record<string, string>): { status?: string; source?: string } {
  const statuses = (user[EMQX_STATUS_PROPERTY] ?? "").split(",").filter(Boolean);
  const sources = (user[EMQX_STATUS_SOURCE_PROPERTY] ?? "").split(",").filter(Boolean);
  const broker = sources.lastIndexOf("broker");
  const at = broker >= 0 && broker < statuses.length ? broker : statuses.length - 1;
  const out: { status?: string; source?: string } = {};
  if (at >= 0) out.status = statuses[at]!;
  const source = broker >= 0 ? "broker" : sources.at(-1);
  if (source !== undefined) out.source = source;
  return out;
}

/**
 * A card as published: a valid A2A card, or (liberal with other implementations) any
 * JSON object with a name, e.g. the reference SDK's cards, whose skills have no `tags`.
 */
function readCard(payload: Uint8Array, maxBytes: number): AgentCard | undefined {
  const parsed = parseJsonPayload(payload, maxBytes);
  if (!parsed.ok || !isJsonObject(parsed.value)) return undefined;
  const strict = strictAgentCard(parsed.value);
  if (strict !== undefined) return strict;
  if (typeof parsed.value.name !== "string") return undefined;
  const loose = parsed.value as unknown as AgentCard;
  return { ...loose, skills: Array.isArray(loose.skills) ? looseSkills(loose.skills) : [] };
}

/** The skills of a loose card that have an id, with a string name and string tags: `list()` reads them. */
function looseSkills(skills: readonly unknown[]): AgentCard["skills"] {
  return skills.flatMap((skill) => {
    if (!isJsonObject(skill) || typeof skill.id !== "string") return [];
    const tags = Array.isArray(skill.tags) ? skill.tags.filter((tag): tag is string => typeof tag === "string") : [];
    return [{ ...skill, name: typeof skill.name === "string" ? skill.name : skill.id, tags } as unknown as AgentCard["skills"][number]];
  });
}

