// The interest shares both drawer views draw: the short term from the shop's own list of product
// pages, the long term from what the worker's explain() names (rerank when it names nothing).
import { DEFAULT_PROFILE_PARAMS } from '@portrait/core';
import { portrait } from '../client/tag.ts';
import { viewedIds } from '../client/viewed.ts';
import type { ShopProduct } from '../products.ts';
import { explainedShares, rankedShares, recentShares } from './chart.ts';
import type { Share } from './words.ts';

// The session chart reads the shop's own list back this far (the short-term vector's weights
// below the tenth event are under 3 %).
export const SESSION = 10;

/** Where each product's category path sits: the department explain()'s labels are read into. */
const categoriesOf = (products: Map<string, ShopProduct>) =>
  new Map([...products.values()].flatMap((p) => (p.category ? [[p.category, p.department] as const] : [])));

export interface Interests {
  short: Share[];
  long: Share[];
  /** Which worker answer the long-term chart was read from. */
  source: 'explain' | 'rerank' | 'none';
}

export async function interests(products: Map<string, ShopProduct>): Promise<Interests> {
  const short = recentShares(
    viewedIds()
      .slice(0, SESSION)
      .map((id) => products.get(id)?.department),
    DEFAULT_PROFILE_PARAMS.shortFloor,
  );
  const explained = (await portrait.call<{ label: string; weight: number }[]>('explain', 20)) ?? [];
  const long = explainedShares(explained, categoriesOf(products));
  if (long.length) return { short, long, source: 'explain' };
  // A catalogue that publishes no labels (and a tag configured with none): explain() names
  // nothing, so the departments of the device's own ranking stand in.
  const ranked = (await portrait.call<{ id: string; score: number }[]>('rerank', 100)) ?? [];
  const fallback = rankedShares(ranked, (id) => products.get(id)?.department);
  return { short, long: fallback, source: fallback.length ? 'rerank' : 'none' };
}
