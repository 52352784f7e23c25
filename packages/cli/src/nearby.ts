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
 * The candidates nearest to `wanted`: those at the smallest edit distance, if that is
 * within a few edits, else the same agent id under another org; at most `max`.
 */
export function nearbyIds(wanted: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored = candidates
    .map((id) => ({ id, distance: editDistance(wanted.toLowerCase(), id.toLowerCase()) }))
    .sort((x, y) => x.distance - y.distance || x.id.localeCompare(y.id));
  const best = scored[0]?.distance;
  if (best !== undefined && best <= limit) return scored.filter((c) => c.distance === best).slice(0, max).map((c) => c.id);
  const agent = wanted.split("/")[1];
  return scored.filter((c) => agent !== undefined && c.id.split("/")[1] === agent).slice(0, max).map((c) => c.id);
}
