/** Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidates closest to `wanted`: within a few edits, or sharing its org or agent
 * id, nearest first, at most `max`.
 */
export function nearbyIds(wanted: string, candidates: readonly string[], max = 5): string[] {
  const [org, agent] = wanted.split("/");
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  return candidates
    .map((id) => {
      const [o, a] = id.split("/");
      const distance = editDistance(wanted.toLowerCase(), id.toLowerCase());
      const related = distance <= limit || o === org || a === agent;
      return { id, distance, related };
    })
    .filter((c) => c.related)
    .sort((x, y) => x.distance - y.distance || x.id.localeCompare(y.id))
    .slice(0, max)
    .map((c) => c.id);
}
