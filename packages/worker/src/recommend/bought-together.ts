import { DEFAULT_RECOMMENDER } from '@portrait/core';
import { RECOMMEND_REASONS, type RecommendedItem, type RecommendSource } from './types.ts';

/**
 * "Often bought together" with one item: its published together-list, strongest first, popularity
 * breaking ties; sensitive items left out. Empty when the merchant published no order signals or
 * the item has none (no filler: a wrong "bought together" is worse than none).
 */
export async function boughtTogether(
  itemId: string,
  source: RecommendSource,
  k: number,
  w: { popularity: number } = DEFAULT_RECOMMENDER.together,
): Promise<RecommendedItem[]> {
  const [item] = await source.lookup([itemId]);
  const list = (item?.signals?.together ?? []).filter((n) => n.id !== itemId && n.weight > 0);
  if (list.length === 0) return [];
  const max = Math.max(...list.map((n) => n.weight));
  const hits = await source.lookup(list.map((n) => n.id));
  return list
    .flatMap((n, i) => {
      const hit = hits[i];
      if (!hit || hit.sensitive) return [];
      const score = n.weight / max + w.popularity * (hit.signals?.popularity ?? 0);
      return [{ id: n.id, score, reason: RECOMMEND_REASONS.boughtTogether, because: itemId }];
    })
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, k));
}
