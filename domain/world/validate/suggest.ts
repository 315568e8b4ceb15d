/**
 * "Did you mean" hints: when a name is not found, the declared or allowed name closest to it.
 */

/**
 * The closest candidate within edit distance 2 (case-insensitive), for "did you mean" hints.
 *
 * @example
 * suggest('ANALIST', ['PUBLIC', 'ANALYST']) // 'ANALYST'
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    // The distance is at least the length difference: a megabyte-long name costs nothing (issue #14).
    if (Math.abs(word.length - candidate.length) >= bestDistance) continue;
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The `; did you mean "…"?` suffix for a message, or nothing when there is no hint.
 *
 * @example
 * `role "ANALIST" is not declared${didYouMean(suggest('ANALIST', declared))}`
 */
export const didYouMean = (hint: string | undefined): string => (hint ? `; did you mean "${hint}"?` : '');
