import type { EvalResult } from './evaluate.ts';

/**
 * Hits of the k-slot lists that take the first `split` items of ranking `a` and fill the other
 * slots with `b`'s best items not already taken, for every split 0..k (k = the lists' length).
 */
export function splitHits(a: ArrayLike<number>, b: ArrayLike<number>, targets: ReadonlySet<number>): number[] {
  const k = a.length;
  const out: number[] = [];
  for (let split = 0; split <= k; split++) {
    const taken = new Set<number>();
    for (let i = 0; i < split; i++) taken.add(a[i] as number);
    for (let i = 0; i < b.length && taken.size < k; i++) taken.add(b[i] as number);
    let hits = 0;
    for (const t of targets) if (taken.has(t)) hits++;
    out.push(hits);
  }
  return out;
}

/** How far mixing two rankings in one list can go on this run. */
export interface SplitCeiling {
  /** HR@k when every list takes `split` slots from the first ranking and the rest from the second, split = 0..k. */
  bySplit: number[];
  /** HR@k with hindsight: each step takes the split that hits most of its own items. */
  hindsight: number;
  targets: number;
}

/**
 * The ceiling of any mix of two rankings (e.g. the best repeat blend and the best discovery list):
 * from the top-k lists the replay kept, the HR@k of every fixed split, and of the best split
 * chosen per step knowing the step's items, which no blend of the two can beat.
 * `pick(user)` gives the two scorers used for that user (the ones its cross-validation fold chose).
 */
export function splitCeiling(result: EvalResult, pick: (user: number) => readonly [number, number]): SplitCeiling {
  const k = result.topK;
  const sums = new Array<number>(k + 1).fill(0);
  let hindsight = 0;
  let targets = 0;
  result.stepUser.forEach((user, s) => {
    const [first, second] = pick(user);
    const list = (scorer: number) => (result.tops[scorer] as Int32Array).subarray(s * k, (s + 1) * k);
    const items = new Set(result.stepItems[s]);
    const hits = splitHits(list(first), list(second), items);
    hits.forEach((h, split) => {
      sums[split] = (sums[split] as number) + h;
    });
    hindsight += Math.max(...hits);
    targets += items.size;
  });
  const rate = (h: number) => (targets > 0 ? h / targets : 0);
  return { bySplit: sums.map(rate), hindsight: rate(hindsight), targets };
}
