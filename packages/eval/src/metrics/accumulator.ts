/** Cut-offs reported for HitRate and NDCG. */
export const KS = [5, 10, 20] as const;

// Layout of one accumulator: [n, hit@5, hit@10, hit@20, ndcg@5, ndcg@10, ndcg@20, reciprocal rank].
export const FIELDS = 8;

/** Adds one scored target at `rank` (1-based) to the accumulator at `offset` of `acc`. */
export function addRank(acc: Float64Array, offset: number, rank: number): void {
  acc[offset] = (acc[offset] as number) + 1;
  KS.forEach((k, i) => {
    if (rank <= k) {
      acc[offset + 1 + i] = (acc[offset + 1 + i] as number) + 1;
      // One relevant item per target: the ideal DCG is 1, so NDCG is the discounted gain itself.
      acc[offset + 4 + i] = (acc[offset + 4 + i] as number) + 1 / Math.log2(rank + 1);
    }
  });
  acc[offset + 7] = (acc[offset + 7] as number) + 1 / rank;
}

/** Metrics by name, as the JSON report carries them. */
export type Metrics = Record<'HR@5' | 'HR@10' | 'HR@20' | 'NDCG@5' | 'NDCG@10' | 'NDCG@20' | 'MRR', number> & {
  targets: number;
};

/** Means of an accumulator (all 0 when it holds no targets). */
export function metricsOf(acc: ArrayLike<number>, offset = 0): Metrics {
  const n = acc[offset] as number;
  const m = (i: number) => (n > 0 ? (acc[offset + i] as number) / n : 0);
  return {
    'HR@5': m(1),
    'HR@10': m(2),
    'HR@20': m(3),
    'NDCG@5': m(4),
    'NDCG@10': m(5),
    'NDCG@20': m(6),
    MRR: m(7),
    targets: n,
  };
}
