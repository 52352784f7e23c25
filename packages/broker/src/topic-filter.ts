/**
 * MQTT topic-filter arithmetic for access control: whether a topic matches a filter, and
 * whether one filter covers another (every topic the second matches, the first matches
 * too), which is what deciding a wildcard SUBSCRIBE needs.
 */

// MQTT §4.7.2: a wildcard in the first level never matches a topic starting with '$'.
function dollarBlocked(filterFirst: string | undefined, topicFirst: string | undefined): boolean {
  return (filterFirst === "+" || filterFirst === "#") && topicFirst !== undefined && topicFirst.startsWith("$");
}

/** True when the topic name `topic` matches the filter `filter`. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split("/");
  const t = topic.split("/");
  if (dollarBlocked(f[0], t[0])) return false;
  for (let i = 0; i < f.length; i++) {
    const level = f[i];
    if (level === "#") return i === f.length - 1;
    if (i >= t.length) return false;
    if (level !== "+" && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * True when every topic matched by `inner` is also matched by `outer`, e.g.
 * `discovery/#` covers `discovery/acme/+`, but `acme/echo/tasks` does not cover `acme/+/tasks`.
 */
export function filterCovers(outer: string, inner: string): boolean {
  const o = outer.split("/");
  const n = inner.split("/");
  if (dollarBlocked(o[0], n[0])) return false;
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
