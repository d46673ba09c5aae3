/**
 * 1-based rank of item `target` among all items by `scores` (higher first). Ties are broken by a
 * fixed per-item order `tiebreak` (lower first), so a run is deterministic and a constant scorer
 * earns chance-level, not best-case, ranks.
 */
export function rankOf(scores: ArrayLike<number>, target: number, tiebreak: ArrayLike<number>): number {
  const s = scores[target] as number;
  const tb = tiebreak[target] as number;
  let above = 0;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] as number;
    if (v > s || (v === s && (tiebreak[i] as number) < tb)) above++;
  }
  return above + 1;
}

/** Indices of the k best items by `scores` (same tie rule as `rankOf`), best first. */
export function topK(scores: ArrayLike<number>, k: number, tiebreak: ArrayLike<number>): number[] {
  const top: number[] = [];
  const better = (a: number, b: number) => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa > sb || (sa === sb && (tiebreak[a] as number) < (tiebreak[b] as number));
  };
  for (let i = 0; i < scores.length; i++) {
    if (top.length === k && !better(i, top[k - 1] as number)) continue;
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && better(i, top[j - 1] as number)) {
      top[j] = top[j - 1] as number;
      j--;
    }
    top[j] = i;
  }
  return top;
}
