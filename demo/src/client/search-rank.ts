import type { SearchRankedItem } from '@portrait/worker';
import type { ShopProduct } from '../products.ts';
import { reasonInWords } from './reasons.ts';
import type { Card } from './surfaces.ts';

// The shop's search results, re-ordered on the device by the profile and the catalogue signals.
// The shop sends nothing new anywhere: the page hands the worker the ids it is already showing
// and gets the same ids back in another order, each with the kind of reason. In the holdout, or
// without the tag, the results stay in the shop's order.

/** A result's reason in words: the shop's own text match, or what moved it. */
export function searchReason(
  item: SearchRankedItem,
  q: string,
  closest: (id: string) => ShopProduct | undefined,
): string {
  if (item.reason === 'shop-order') return `Best match for “${q}”`;
  if (item.reason === 'matches-profile') {
    const viewed = closest(item.id);
    return viewed ? `Because you looked at ${viewed.title}` : reasonInWords(item);
  }
  return reasonInWords(item);
}

/**
 * The device's order as cards, or undefined when the answer is not a permutation of exactly the
 * results shown (an old worker, an error): then the shop's order stays.
 */
export function rankedCards(
  results: readonly ShopProduct[],
  answer: unknown,
  reason: (item: SearchRankedItem) => string,
): Card[] | undefined {
  if (!Array.isArray(answer) || answer.length !== results.length) return undefined;
  const byId = new Map(results.map((p) => [p.id, p]));
  const cards: Card[] = [];
  for (const a of answer as SearchRankedItem[]) {
    const p = typeof a?.id === 'string' ? byId.get(a.id) : undefined;
    if (!p || typeof a.reason !== 'string') return undefined;
    byId.delete(a.id);
    cards.push({ p, reason: reason(a), source: a.reason });
  }
  return cards;
}
