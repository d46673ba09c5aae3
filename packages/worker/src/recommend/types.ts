import { cosine, type ShardSignals } from '@portrait/core';

/** Why an item is recommended (the term that contributed most to its score). */
export const RECOMMEND_REASONS = {
  boughtNext: 'bought-next',
  boughtTogether: 'bought-together',
  similar: 'similar',
  profile: 'matches-profile',
  trending: 'trending',
  popular: 'popular',
  again: 'bought-before',
} as const;
export type RecommendReason = (typeof RECOMMEND_REASONS)[keyof typeof RECOMMEND_REASONS];

/** One on-device recommendation. */
export interface RecommendedItem {
  id: string;
  score: number;
  reason: RecommendReason;
  /** The shopper's item (or the page's item) the reason refers to, for neighbour and similarity reasons. */
  because?: string;
}

/** What the recommenders read of the merchant's catalogue (the worker's catalogue source). */
export interface RecommendSource {
  lookup(ids: string[]): Promise<({ vector: Float32Array; sensitive: boolean; signals?: ShardSignals } | undefined)[]>;
  readonly popular: readonly string[];
  /** The shop's repeat share from its order log (manifest), when it published one. */
  readonly repeatShare?: number | undefined;
  loadedIds(): Promise<string[]>;
  shardMates(itemId: string): Promise<string[]>;
}

/** Candidates scored term by term: the best `k` by total, each with its strongest term as reason. */
export function topWithReasons(
  scored: Map<string, { total: number; terms: [RecommendReason, number][]; because?: string }>,
  k: number,
): RecommendedItem[] {
  return [...scored]
    .filter(([, s]) => Number.isFinite(s.total))
    .sort(([a, x], [b, y]) => y.total - x.total || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, k))
    .map(([id, s]) => {
      let best: [RecommendReason, number] = s.terms[0] ?? [RECOMMEND_REASONS.popular, 0];
      for (const t of s.terms) if (t[1] > best[1]) best = t;
      const item: RecommendedItem = { id, score: s.total, reason: best[0] };
      const neighbourReason =
        best[0] === RECOMMEND_REASONS.boughtNext ||
        best[0] === RECOMMEND_REASONS.boughtTogether ||
        best[0] === RECOMMEND_REASONS.similar;
      if (neighbourReason && s.because !== undefined) item.because = s.because;
      return item;
    });
}

/** Cosine of two vectors (0 when either is zero or the lengths differ). */
export const cos = (a: Float32Array, b: Float32Array): number => (a.length === b.length ? cosine(a, b) : 0);

/** For each candidate, the source item and kind that gave it the most neighbour weight. */
export function strongestSource(
  sources: readonly { id: string; weight: number }[],
  signalsOf: (id: string) => ShardSignals | undefined,
  kinds: { next: number; together: number },
): Map<string, { source: string; reason: RecommendReason; w: number }> {
  const out = new Map<string, { source: string; reason: RecommendReason; w: number }>();
  for (const s of sources) {
    const sig = signalsOf(s.id);
    if (!sig) continue;
    for (const [list, kw, reason] of [
      [sig.next, kinds.next, RECOMMEND_REASONS.boughtNext],
      [sig.together, kinds.together, RECOMMEND_REASONS.boughtTogether],
    ] as const) {
      for (const n of list) {
        const w = s.weight * kw * n.weight;
        if (w > (out.get(n.id)?.w ?? 0)) out.set(n.id, { source: s.id, reason, w });
      }
    }
  }
  return out;
}
