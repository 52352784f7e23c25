/**
 * MQTT topic filter matching, shared by the in-memory broker and the local dispatch of
 * every transport, so both agree on what `+`, `#` and `$share/...` mean.
 */

const SHARE_PREFIX = "$share/";

/** A `$share/{group}/{filter}` subscription split into its parts. */
export interface SharedFilter {
  group: string;
  filter: string;
}

/** Splits `$share/{group}/{filter}`; undefined for a normal filter. */
export function parseSharedFilter(filter: string): SharedFilter | undefined {
  if (!filter.startsWith(SHARE_PREFIX)) return undefined;
  const rest = filter.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { group: rest.slice(0, slash), filter: rest.slice(slash + 1) };
}

/** The filter messages are matched against: `$share/g/a/+` matches like `a/+`. */
export function effectiveFilter(filter: string): string {
  return parseSharedFilter(filter)?.filter ?? filter;
}

/**
 * True when `topic` matches `filter` (MQTT 3.1.1 §4.7 / 5.0 §4.7): `+` matches one
 * level, a trailing `#` matches the parent and any number of levels, and wildcards at
 * the first level never match topics starting with `$` (e.g. `$SYS/...`).
 * A `$share/{group}/` prefix on the filter is ignored.
 */
export function matchTopic(filter: string, topic: string): boolean {
  // The usual subscriptions (a request topic, a reply inbox) name their topic exactly.
  if (filter === topic && topic.charCodeAt(0) !== DOLLAR) return true;
  // Walks both strings level by level without splitting them: this runs for every
  // message against every subscription of a connection.
  const f = effectiveFilter(filter);
  const fLength = f.length;
  const tLength = topic.length;
  if (topic.charCodeAt(0) === DOLLAR && isWildcardLevel(f, 0, levelEnd(f, 0))) return false;
  let fi = 0; // start of the current filter level
  let ti = 0; // start of the current topic level; -1 once the topic has no more levels
  for (;;) {
    const fEnd = levelEnd(f, fi);
    if (fEnd === fi + 1 && f.charCodeAt(fi) === HASH) return fEnd === fLength;
    if (ti < 0) return false;
    const tEnd = levelEnd(topic, ti);
    if (!(fEnd === fi + 1 && f.charCodeAt(fi) === PLUS)) {
      // The same level: compared in place, without cutting substrings.
      if (fEnd - fi !== tEnd - ti) return false;
      for (let i = fi, j = ti; i < fEnd; i++, j++) if (f.charCodeAt(i) !== topic.charCodeAt(j)) return false;
    }
    const topicDone = tEnd === tLength;
    if (fEnd === fLength) return topicDone;
    fi = fEnd + 1;
    ti = topicDone ? -1 : tEnd + 1;
  }
}

const DOLLAR = 0x24;
const HASH = 0x23;
const PLUS = 0x2b;

/** The index of the `/` ending the level that starts at `start`, or the length. */
function levelEnd(s: string, start: number): number {
  const slash = s.indexOf("/", start);
  return slash < 0 ? s.length : slash;
}

function isWildcardLevel(s: string, start: number, end: number): boolean {
  if (end !== start + 1) return false;
  const c = s.charCodeAt(start);
  return c === PLUS || c === HASH;
}

/** Why `filter` is not a valid MQTT topic filter, or undefined when it is. */
export function filterProblem(filter: string): string | undefined {
  if (filter.length === 0) return "a topic filter must not be empty";
  if (filter.includes("\u0000")) return "a topic filter must not contain NUL";
  if (filter.startsWith(SHARE_PREFIX) && !parseSharedFilter(filter)) {
    return "a shared subscription must look like $share/{group}/{filter}";
  }
  const levels = effectiveFilter(filter).split("/");
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] ?? "";
    if (level.includes("#") && (level !== "#" || i !== levels.length - 1)) {
      return "'#' must be a whole level and the last one";
    }
    if (level.includes("+") && level !== "+") return "'+' must be a whole level";
  }
  return undefined;
}

/** Why `topic` cannot be published to, or undefined when it can. */
export function topicProblem(topic: string): string | undefined {
  if (topic.length === 0) return "a topic must not be empty";
  if (topic.includes("+") || topic.includes("#")) return "a topic to publish to must not contain wildcards";
  if (topic.includes("\u0000")) return "a topic must not contain NUL";
  return undefined;
}
