import { createTopicScheme } from "@a2a/transport";
import { filterCovers, topicMatches } from "./topic-filter.js";
import type { ResolvedUser } from "./users.js";

/**
 * The access policy derived from the topic scheme of docs/binding.md §2, as a list of
 * mosquitto-style rules per user. The embedded broker evaluates these rules and
 * `toMosquittoConfig` prints them, so both brokers enforce the same policy.
 */

/** Like mosquitto's ACL file: `deny` wins over any grant, for reading and writing. */
export type AclAccess = "read" | "write" | "readwrite" | "deny";

export interface AclRule {
  access: AclAccess;
  /** A topic filter (`+` and `#` allowed). */
  topic: string;
}

export interface AclPolicyOptions {
  /**
   * Levels before every topic of the scheme, the same as the transport's topic prefix,
   * e.g. `"acme"` for `acme/discovery/...`.
   * @default ""
   */
  prefix?: string;
  /**
   * Let clients read every agent's compact results topic `{org}/{agent}/results`, as
   * seed-style clients expect. Off by default: such a topic is readable by every client,
   * while replies on `replies/{clientId}/...` are private.
   * @default false
   */
  clientsReadResults?: boolean;
}

/**
 * The rules of one user:
 * - agent `{org}/{agent}`: write its own `discovery/{org}/{agent}` (card and will),
 *   its pool instances' presence `discovery/{org}/{agent}/instances/+` and
 *   `{org}/{agent}/results`, write `replies/#` (it answers any client), read only its own
 *   `{org}/{agent}/tasks` and its instances' `{org}/{agent}/tasks/+`; with `canCall` also a client's rights (write `+/+/tasks` but
 *   not `discovery/+/tasks`, read `discovery/#` and its own `replies/{username}/#`);
 * - client (client id = username): write any agent's `+/+/tasks` (and a pool instance's
 *   `+/+/tasks/+`), read `discovery/#` and
 *   its own `replies/{username}/#`; `discovery/+/tasks` and `replies/+/tasks` also match
 *   `+/+/tasks`, so they are denied, which keeps a client from overwriting the card of an
 *   agent called `tasks` or writing into another client's inbox called `tasks`;
 * - admin: everything (`#`).
 */
export function aclRulesFor(user: ResolvedUser, options: AclPolicyOptions = {}): AclRule[] {
  // The transport's scheme names the concrete topics (and validates ids and prefix);
  // the wildcard rules below follow its layout under the same prefix.
  const scheme = createTopicScheme({ prefix: options.prefix ?? "" });
  const p = scheme.prefix;
  switch (user.role) {
    case "agent": {
      const rules: AclRule[] = [
        { access: "write", topic: scheme.discovery(user.org, user.agent) },
        // Pool instances: each one's presence, and its own request topic for follow-ups.
        { access: "write", topic: `${scheme.discovery(user.org, user.agent)}/instances/+` },
        { access: "write", topic: scheme.results(user.org, user.agent) },
        { access: "write", topic: `${p}replies/#` },
        { access: "read", topic: scheme.tasks(user.org, user.agent) },
        { access: "read", topic: `${scheme.tasks(user.org, user.agent)}/+` },
      ];
      if (user.canCall) {
        // An orchestrator: one connection serves its own tasks and calls other agents.
        // (It may write replies/# anyway, so only discovery/+/tasks needs a deny.)
        rules.unshift({ access: "deny", topic: `${p}discovery/+/tasks` }, { access: "deny", topic: `${p}discovery/+/tasks/+` });
        rules.push(
          { access: "write", topic: `${p}+/+/tasks` },
          { access: "write", topic: `${p}+/+/tasks/+` },
          { access: "read", topic: `${p}discovery/#` },
          { access: "read", topic: `${p}replies/${user.username}/#` },
        );
      }
      return rules;
    }
    case "client": {
      const rules: AclRule[] = [
        { access: "deny", topic: `${p}discovery/+/tasks` },
        { access: "deny", topic: `${p}replies/+/tasks` },
        { access: "deny", topic: `${p}discovery/+/tasks/+` },
        { access: "deny", topic: `${p}replies/+/tasks/+` },
        { access: "write", topic: `${p}+/+/tasks` },
        // A pool instance's own request topic (follow-ups of its tasks).
        { access: "write", topic: `${p}+/+/tasks/+` },
        { access: "read", topic: `${p}discovery/#` },
        { access: "read", topic: `${p}replies/${user.username}/#` },
      ];
      if (options.clientsReadResults) rules.push({ access: "read", topic: `${p}+/+/results` });
      return rules;
    }
    case "admin":
      return [{ access: "readwrite", topic: "#" }];
    default: {
      const never: never = user;
      throw new Error(`Unknown role of user ${JSON.stringify((never as ResolvedUser).username)}.`);
    }
  }
}

const grantsRead = (rule: AclRule) => rule.access === "read" || rule.access === "readwrite";
const grantsWrite = (rule: AclRule) => rule.access === "write" || rule.access === "readwrite";
const isDeny = (rule: AclRule) => rule.access === "deny";

/** May a PUBLISH to `topic` (a will included) go through? */
export function mayPublish(rules: readonly AclRule[], topic: string): boolean {
  if (rules.some((r) => isDeny(r) && topicMatches(r.topic, topic))) return false;
  return rules.some((r) => grantsWrite(r) && topicMatches(r.topic, topic));
}

/**
 * May a SUBSCRIBE to `filter` be granted? Only when one read rule covers the whole
 * filter, so `acme/+/tasks` is refused to the agent that may read `acme/echo/tasks`.
 */
export function maySubscribe(rules: readonly AclRule[], filter: string): boolean {
  if (rules.some((r) => isDeny(r) && filterCovers(r.topic, filter))) return false;
  return rules.some((r) => grantsRead(r) && filterCovers(r.topic, filter));
}

/** May a message on `topic` be delivered? Checked per message, as deny rules can cut into a granted filter. */
export function mayReceive(rules: readonly AclRule[], topic: string): boolean {
  if (rules.some((r) => isDeny(r) && topicMatches(r.topic, topic))) return false;
  return rules.some((r) => grantsRead(r) && topicMatches(r.topic, topic));
}
