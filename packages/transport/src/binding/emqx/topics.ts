import { InvalidTopicSegmentError, validateTopicSegment } from "../../topics/topic-segment.js";
import { isValidEmqxId, validateEmqxId, type EmqxAddress } from "./ids.js";

/** The root the profile and its reference SDK use. */
export const EMQX_DEFAULT_ROOT = "$a2a/v1";
/**
 * The root of earlier revisions of the profile; also the one to use for pools on
 * brokers that do not deliver `$` topics to shared subscriptions (mosquitto 2.0).
 */
export const EMQX_LEGACY_ROOT = "a2a/v1";

/** A topic of the profile, taken apart by {@link EmqxTopicScheme.parse}. */
export type EmqxParsedTopic =
  | ({ kind: "discovery" } & EmqxAddress)
  | ({ kind: "request" } & EmqxAddress)
  | { kind: "pool-request"; org: string; unit: string; pool: string }
  | ({ kind: "reply"; suffix: string } & EmqxAddress)
  | ({ kind: "event" } & EmqxAddress);

/** A pool of a unit, and the shared-subscription group its members use. */
export interface EmqxPoolAddress {
  org: string;
  unit: string;
  pool: string;
  /** @default emqxPoolGroupId(org, unit, pool) */
  group?: string | undefined;
}

export interface EmqxTopicSchemeOptions {
  /**
   * The topic root, one or more levels: `$a2a/v1` (the profile, EMQX) or `a2a/v1`
   * (earlier revisions; brokers other than EMQX for pools). A trailing `/` is allowed.
   * @default "$a2a/v1"
   */
  root?: string;
}

/**
 * Builds and parses the topics of the EMQX "A2A over MQTT" profile
 * (emqx/mqtt-for-ai, a2a-over-mqtt/specification/0.1/basic/mqtt_transport.md):
 * `{root}/{discovery|request|reply|event}/{org}/{unit}/{agent}` and the pool topics.
 * Ids given are checked against the profile's identifier rule; parsing is lenient
 * (`-` allowed, as in the profile's first text).
 */
export interface EmqxTopicScheme {
  /** The normalised root, without a trailing `/`. */
  readonly root: string;
  /** `{root}/discovery/{org}/{unit}/{agent}`: the retained Agent Card (and the will). */
  discovery(address: EmqxAddress): string;
  /** `{root}/discovery/{org|+}/{unit|+}/+`: cards of one unit, one org, or all. */
  discoveryFilter(scope?: { org?: string; unit?: string }): string;
  /** `{root}/request/{org}/{unit}/{agent}`: requests to one agent. */
  request(address: EmqxAddress): string;
  /** `{root}/request/{org}/{unit}/pool/{pool}`: the canonical (non-shared) pool topic requesters publish to. */
  poolRequest(org: string, unit: string, pool: string): string;
  /**
   * `$share/{group}/{root}/request/{org}/{unit}/pool/{pool}`: what pool members subscribe
   * to; the group defaults to {@link emqxPoolGroupId}.
   */
  sharedPoolFilter(pool: EmqxPoolAddress): string;
  /** `{root}/reply/{org}/{unit}/{agent}/{suffix}`: the recommended reply topic of a requester. */
  reply(address: EmqxAddress, suffix: string): string;
  /** `{root}/reply/{org}/{unit}/{agent}/+`: every reply topic of a requester. */
  replyFilter(address: EmqxAddress): string;
  /** `{root}/event/{org}/{unit}/{agent}`: events outside request/reply correlation. */
  event(address: EmqxAddress): string;
  /** Takes a topic of this scheme apart; undefined for any other topic. */
  parse(topic: string): EmqxParsedTopic | undefined;
}

function normaliseRoot(root: string): string {
  const trimmed = root.endsWith("/") ? root.slice(0, -1) : root;
  if (trimmed === "") throw new InvalidTopicSegmentError("EMQX topic root", root, "must not be empty");
  for (const level of trimmed.split("/")) validateTopicSegment(level, "EMQX topic root level");
  if (trimmed.startsWith("$share/")) throw new InvalidTopicSegmentError("EMQX topic root", root, "must not be a shared subscription");
  return trimmed;
}

function addressLevels(address: EmqxAddress): string {
  return `${validateEmqxId(address.org, "EMQX org id")}/${validateEmqxId(address.unit, "EMQX unit id")}/${validateEmqxId(address.agent, "EMQX agent id")}`;
}

/** The word `pool` in the agent position names the unit's pool topic, so no agent can be called `pool`. */
const POOL_LEVEL = "pool";

/**
 * @example
 * const topics = createEmqxTopicScheme();
 * topics.request({ org: "acme", unit: "plant1", agent: "echo" }); // "$a2a/v1/request/acme/plant1/echo"
 */
export function createEmqxTopicScheme(options: EmqxTopicSchemeOptions = {}): EmqxTopicScheme {
  const root = normaliseRoot(options.root ?? EMQX_DEFAULT_ROOT);
  const rootLevels = root.split("/").length;
  const agentTopic = (kind: string, address: EmqxAddress) => {
    if (address.agent === POOL_LEVEL) throw new InvalidTopicSegmentError("EMQX agent id", address.agent, "is reserved for pool topics");
    return `${root}/${kind}/${addressLevels(address)}`;
  };
  const filterLevel = (value: string | undefined, label: string) => (value === undefined ? "+" : validateEmqxId(value, label));
  const poolRequest = (org: string, unit: string, pool: string) =>
    `${root}/request/${validateEmqxId(org, "EMQX org id")}/${validateEmqxId(unit, "EMQX unit id")}/${POOL_LEVEL}/${validateEmqxId(pool, "EMQX pool id")}`;
  return {
    root,
    discovery: (address) => agentTopic("discovery", address),
    discoveryFilter: (scope = {}) => `${root}/discovery/${filterLevel(scope.org, "EMQX org id")}/${filterLevel(scope.unit, "EMQX unit id")}/+`,
    request: (address) => agentTopic("request", address),
    poolRequest,
    sharedPoolFilter: ({ org, unit, pool, group }) =>
      `$share/${validateEmqxId(group ?? emqxPoolGroupId(org, unit, pool), "EMQX group id")}/${poolRequest(org, unit, pool)}`,
    reply: (address, suffix) => `${agentTopic("reply", address)}/${validateEmqxId(suffix, "EMQX reply suffix")}`,
    replyFilter: (address) => `${agentTopic("reply", address)}/+`,
    event: (address) => agentTopic("event", address),
    parse(topic) {
      if (!topic.startsWith(`${root}/`)) return undefined;
      const levels = topic.split("/").slice(rootLevels);
      const [kind, org, unit, agent, ...rest] = levels;
      if (kind === undefined || org === undefined || unit === undefined || agent === undefined) return undefined;
      const lenient = { lenient: true };
      if (![org, unit, agent].every((id) => isValidEmqxId(id, lenient))) return undefined;
      if (kind === "request" && agent === POOL_LEVEL) {
        const pool = rest[0];
        return rest.length === 1 && isValidEmqxId(pool, lenient) ? { kind: "pool-request", org, unit, pool } : undefined;
      }
      if (agent === POOL_LEVEL) return undefined;
      if (kind === "reply") {
        // The recommended suffix is one level; a requester may use more, still under its address.
        if (rest.length === 0 || rest.some((level) => level === "" || /[+#]/.test(level))) return undefined;
        return { kind: "reply", org, unit, agent, suffix: rest.join("/") };
      }
      if (rest.length !== 0) return undefined;
      if (kind === "discovery" || kind === "request" || kind === "event") return { kind, org, unit, agent };
      return undefined;
    },
  };
}

/** Recommended longest group id (brokers limit it). */
export const EMQX_MAX_GROUP_ID_LENGTH = 64;

/**
 * The deterministic shared-subscription group of a pool, the profile's recommended
 * `a2a.{org}.{unit}.{pool}`: characters outside `[A-Za-z0-9._]` become `_`, and an id
 * longer than 64 characters is cut and given a short hash of the whole, so every
 * member of a pool computes the same group and no two pools share one by truncation.
 */
export function emqxPoolGroupId(org: string, unit: string, pool: string): string {
  const base = `a2a.${org}.${unit}.${pool}`.replace(/[^A-Za-z0-9._]/g, "_");
  if (base.length <= EMQX_MAX_GROUP_ID_LENGTH) return base;
  const hash = fnv1a(base);
  return `${base.slice(0, EMQX_MAX_GROUP_ID_LENGTH - hash.length - 1)}_${hash}`;
}

/** 32-bit FNV-1a as 8 hex digits: small, stable, and the same in Node and browsers. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}
