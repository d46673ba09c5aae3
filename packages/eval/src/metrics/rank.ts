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
  // The full list's last score and tie rank, so most items are turned away by one comparison.
  let lastS = Number.NaN;
  let lastTb = Number.NaN;
  for (let i = 0; i < scores.length; i++) {
    if (top.length === k) {
      const v = scores[i] as number;
      if (!(v > lastS || (v === lastS && (tiebreak[i] as number) < lastTb))) continue;
    }
    let j = top.length === k ? k - 1 : top.length;
    while (j > 0 && better(i, top[j - 1] as number)) {
      top[j] = top[j - 1] as number;
      j--;
    }
    top[j] = i;
    if (top.length === k) {
      lastS = scores[top[k - 1] as number] as number;
      lastTb = tiebreak[top[k - 1] as number] as number;
    }
  }
  return top;
}

/**
 * `rankOf` for several targets in one pass over the items (same ranks, same tie rule): the
 * targets are sorted once, and each item adds one to every target it beats, found by binary
 * search. O(n log t) instead of O(n t).
 */
export function ranksOf(scores: ArrayLike<number>, targets: readonly number[], tiebreak: ArrayLike<number>): number[] {
  const t = targets.length;
  // One target (every leave-last-out step): the plain count, without the search.
  if (t === 1) return [rankOf(scores, targets[0] as number, tiebreak)];
  // Targets from best to worst under (score desc, tiebreak asc).
  const order = targets
    .map((item, j) => ({ s: scores[item] as number, tb: tiebreak[item] as number, j }))
    .sort((a, b) => b.s - a.s || a.tb - b.tb);
  const bump = new Int32Array(t + 1);
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i] as number;
    const tbi = tiebreak[i] as number;
    // First sorted target this item beats; it then beats every target after it.
    let lo = 0;
    let hi = t;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const o = order[mid] as { s: number; tb: number };
      if (v > o.s || (v === o.s && tbi < o.tb)) hi = mid;
      else lo = mid + 1;
    }
    bump[lo] = (bump[lo] as number) + 1;
  }
  const out = new Array<number>(t);
  let above = 0;
  order.forEach((o, k) => {
    above += bump[k] as number;
    out[o.j] = above + 1;
  });
  return out;
}
