import { InvalidTopicSegmentError, isValidTopicSegment, validateTopicSegment } from "./topic-segment.js";

/** A topic of the scheme, taken apart by `TopicScheme.parse`. */
export type ParsedTopic =
  | { kind: "discovery"; org: string; agent: string }
  | { kind: "tasks"; org: string; agent: string }
  | { kind: "results"; org: string; agent: string }
  | { kind: "replies"; clientId: string; inbox: string };

export interface TopicSchemeOptions {
  /**
   * Levels put before every topic, e.g. `"acme"` or `"acme/a2a"` (a trailing `/` is
   * allowed). Lets several deployments share a broker, or avoid brokers' reserved roots.
   * @default "" (the seed's layout: `discovery/{org}/{agent}`, ...)
   */
  prefix?: string;
}

/** Builds and parses every topic of the binding; the one place that knows the layout. */
export interface TopicScheme {
  /** The normalised prefix, `""` or ending with `/`. */
  readonly prefix: string;
  /** `discovery/{org}/{agent}`: the retained Agent Card. */
  discovery(org: string, agent: string): string;
  /** `discovery/+/+`, or `discovery/{org}/+` for one organisation. */
  discoveryFilter(org?: string): string;
  /** `{org}/{agent}/tasks`: requests to an agent. */
  tasks(org: string, agent: string): string;
  /** `{org}/{agent}/results`: compact Task Results of an agent. */
  results(org: string, agent: string): string;
  /** `replies/{clientId}/{inbox}`: replies to one client. */
  replies(clientId: string, inbox: string): string;
  /** `replies/{clientId}/+`: every inbox of a client. */
  repliesFilter(clientId: string): string;
  /** Takes a topic of this scheme apart; undefined for any other topic. Frozen (the last one is reused). */
  parse(topic: string): Readonly<ParsedTopic> | undefined;
}

/** Org ids that would make `{org}/{agent}/...` collide with the scheme's own roots. */
const RESERVED_ORGS = new Set(["discovery", "replies"]);

function validateOrg(org: string): string {
  validateTopicSegment(org, "org id");
  if (RESERVED_ORGS.has(org)) throw new InvalidTopicSegmentError("org id", org, "is reserved by the topic scheme");
  return org;
}

function normalisePrefix(prefix: string): string {
  const trimmed = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  if (trimmed === "") return "";
  for (const level of trimmed.split("/")) validateTopicSegment(level, "topic prefix level");
  return `${trimmed}/`;
}

/**
 * The default topic layout (the seed's, see docs/binding.md §2) under an optional prefix.
 * Every id is validated with `validateTopicSegment`.
 * @example
 * const topics = createTopicScheme({ prefix: "acme" });
 * topics.tasks("my-org", "echo"); // "acme/my-org/echo/tasks"
 */
export function createTopicScheme(options: TopicSchemeOptions = {}): TopicScheme {
  const prefix = normalisePrefix(options.prefix ?? "");
  // The last topic taken apart: an agent reads the same reply topic several times per request.
  let lastTopic: string | undefined;
  let lastParsed: ParsedTopic | undefined;
  const parse = (topic: string): ParsedTopic | undefined => {
    if (!topic.startsWith(prefix)) return undefined;
    const levels = topic.slice(prefix.length).split("/");
    if (levels.length !== 3 || !levels.every(isValidTopicSegment)) return undefined;
    const [a, b, c] = levels as [string, string, string];
    if (a === "discovery") return RESERVED_ORGS.has(b) ? undefined : { kind: "discovery", org: b, agent: c };
    if (a === "replies") return { kind: "replies", clientId: b, inbox: c };
    if (c === "tasks") return { kind: "tasks", org: a, agent: b };
    if (c === "results") return { kind: "results", org: a, agent: b };
    return undefined;
  };
  const agentTopic = (org: string, agent: string, leaf: string) =>
    `${prefix}${validateOrg(org)}/${validateTopicSegment(agent, "agent id")}/${leaf}`;

  return {
    prefix,
    discovery: (org, agent) =>
      `${prefix}discovery/${validateOrg(org)}/${validateTopicSegment(agent, "agent id")}`,
    discoveryFilter: (org) => `${prefix}discovery/${org === undefined ? "+" : validateOrg(org)}/+`,
    tasks: (org, agent) => agentTopic(org, agent, "tasks"),
    results: (org, agent) => agentTopic(org, agent, "results"),
    replies: (clientId, inbox) =>
      `${prefix}replies/${validateTopicSegment(clientId, "client id")}/${validateTopicSegment(inbox, "inbox")}`,
    repliesFilter: (clientId) => `${prefix}replies/${validateTopicSegment(clientId, "client id")}/+`,
    parse(topic) {
      if (topic !== lastTopic) {
        const parsed = parse(topic);
        lastParsed = parsed === undefined ? undefined : Object.freeze(parsed);
        lastTopic = topic;
      }
      return lastParsed;
    },
  };
}
