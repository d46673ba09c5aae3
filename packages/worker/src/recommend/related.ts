import { DEFAULT_RECOMMENDER, neighbourScores } from '@portrait/core';
import {
  cos,
  RECOMMEND_REASONS,
  type RecommendedItem,
  type RecommendReason,
  type RecommendSource,
  strongestSource,
  topWithReasons,
} from './types.ts';

export type RelatedWeights = { [K in keyof typeof DEFAULT_RECOMMENDER.related]: number };

/**
 * "Related" to one item (a product page): its order-log neighbours (next and together) blended
 * with the text similarity of its published vector and the shop's popularity, over the neighbours, the merchant's popular
 * items and the item's own shard. Nothing about the shopper is read: not even which shards this
 * worker fetched before (those follow the shopper's items), so a page asking about any item learns
 * only what the catalogue says.
 */
export async function related(
  itemId: string,
  source: RecommendSource,
  k: number,
  w: RelatedWeights = DEFAULT_RECOMMENDER.related,
): Promise<RecommendedItem[]> {
  const [item] = await source.lookup([itemId]);
  if (!item) return [];
  const one = [{ id: itemId, weight: 1 }];
  const signalsOf = (id: string) => (id === itemId ? item.signals : undefined);
  const nb = neighbourScores(one, signalsOf, w);
  const why = strongestSource(one, signalsOf, w);
  const candidates = [...new Set([...nb.keys(), ...source.popular, ...(await source.shardMates(itemId))])].filter(
    (id) => id !== itemId,
  );
  const hits = await source.lookup(candidates);
  const scored = new Map<string, { total: number; terms: [RecommendReason, number][]; because?: string }>();
  candidates.forEach((id, i) => {
    const hit = hits[i];
    if (!hit || hit.sensitive) return;
    const terms: [RecommendReason, number][] = [
      [why.get(id)?.reason ?? RECOMMEND_REASONS.boughtNext, w.neighbours * (nb.get(id) ?? 0)],
      [RECOMMEND_REASONS.similar, w.text * cos(item.vector, hit.vector)],
      [RECOMMEND_REASONS.popular, w.popularity * (hit.signals?.popularity ?? 0)],
    ];
    scored.set(id, { total: terms.reduce((s, t) => s + t[1], 0), terms, because: itemId });
  });
  return topWithReasons(scored, k);
}
