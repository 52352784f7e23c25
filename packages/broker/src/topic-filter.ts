import { matchTopic } from "@a2a/transport";

/**
 * MQTT topic-filter arithmetic for access control: whether a topic matches a filter (the
 * transport's `matchTopic`, so access control and message routing agree on `+`, `#` and
 * `$`-topics), and whether one filter covers another (every topic the second matches,
 * the first matches too), which is what deciding a wildcard SUBSCRIBE needs.
 */

/** True when the topic name `topic` matches the filter `filter`; see `matchTopic` of @a2a/transport. */
export const topicMatches: (filter: string, topic: string) => boolean = matchTopic;

/**
 * True when every topic matched by `inner` is also matched by `outer`, e.g.
 * `discovery/#` covers `discovery/acme/+`, but `acme/echo/tasks` does not cover `acme/+/tasks`.
 */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split("/");
  const n = inner.split("/");
  // MQTT §4.7.2: a wildcard in the first level never matches a topic starting with '$'.
  if ((o[0] === "+" || o[0] === "#") && n[0] !== undefined && n[0].startsWith("$")) return false;
  for (let i = 0; i < o.length; i++) {
    const level = o[i];
    if (level === "#") return true;
    const innerLevel = n[i];
    if (innerLevel === undefined) return false;
    if (innerLevel === "#") return false;
    if (level === "+") continue;
    if (innerLevel === "+" || innerLevel !== level) return false;
  }
  return o.length === n.length;
}
