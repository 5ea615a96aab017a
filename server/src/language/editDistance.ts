/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  return editDistanceWithin(a, b, Math.max(a.length, b.length))!;
}

/**
 * The edit distance when it is at most `max`, else `undefined`, in O(max · length): strings whose
 * lengths differ by more than `max` are never compared, and only the diagonal band of width
 * 2·max+1 is computed, stopping as soon as a whole row exceeds `max`. Suggestions against a context
 * of 20,000 paths stay cheap this way.
 */
export function editDistanceWithin(a: string, b: string, max: number): number | undefined {
  if (Math.abs(a.length - b.length) > max) return undefined;
  const beyond = max + 1;
  let row = new Int32Array(b.length + 1);
  let next = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = Math.min(j, beyond);
  for (let i = 1; i <= a.length; i++) {
    next.fill(beyond);
    next[0] = Math.min(i, beyond);
    let best = next[0]!;
    for (let j = Math.max(1, i - max), to = Math.min(b.length, i + max); j <= to; j++) {
      const cost = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1), beyond);
      next[j] = cost;
      if (cost < best) best = cost;
    }
    if (best > max) return undefined;
    [row, next] = [next, row];
  }
  return row[b.length]! <= max ? row[b.length] : undefined;
}
