import type { ShopProduct } from '../products.ts';
import { matches } from './search.ts';

// Every recommendation says why it is there, in the words a shopper reads. The worker names the
// kind of reason; which of the shopper's own steps it refers to comes from what the shop itself
// knows (its recently-viewed list and its recent searches, viewed.ts), never from the worker:
// "for you" answers carry no item of the shopper's history to the page.

/** The reason the worker gives, in words; `title` is the item it refers to (the page's own, for related lists). */
export function reasonInWords(item: { reason: string }, title?: string): string {
  switch (item.reason) {
    case 'bought-together':
      return title ? `Often bought with ${title}` : 'Often bought together';
    case 'bought-next':
      return title ? `Shoppers bought this after ${title}` : 'Shoppers often buy this next';
    case 'similar':
      return title ? `Similar to ${title}` : 'Similar to what you look at';
    case 'matches-profile':
      return 'Matches what you have been browsing';
    case 'trending':
      return 'Trending in the shop this month';
    case 'bought-before':
      return 'You bought this before';
    default:
      return 'Popular in the shop';
  }
}

const words = (q: string) => q.toLowerCase().split(/\s+/).filter(Boolean);

/**
 * The shop's products a search names, best match first: the shop knows its own search the moment
 * it served it, before the device has folded it (a search waits for the model), so "for you" can
 * follow it at once.
 */
export function searchLed(products: Iterable<ShopProduct>, query: string, n: number, exclude: readonly string[]) {
  const w = words(query);
  return [...products]
    .map((p) => ({ p, s: exclude.includes(p.id) ? 0 : matches(p, w) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, n)
    .map((x) => x.p.id);
}

/** What the shop knows of the shopper's steps, to name the one a "for you" item follows. */
export interface ShopmateContext {
  /** The shop's recent searches, latest first. */
  searches: readonly string[];
  /** The viewed product closest to an item (the shop's list, ranked in the catalogue space), if any. */
  closestViewed: (id: string) => ShopProduct | undefined;
}

// Reasons about the shop, not the shopper: said as the worker gave them.
const SHOP_REASONS: readonly string[] = ['trending', 'popular', 'bought-before'];

/**
 * A "for you" item's reason: a recent search it matches, else the viewed product it is closest
 * to, else the worker's reason in general words. Trending and popular items say just that.
 */
export function forYouReason(p: ShopProduct, item: { reason: string }, ctx: ShopmateContext): string {
  if (SHOP_REASONS.includes(item.reason)) return reasonInWords(item);
  for (const q of ctx.searches.slice(0, 3)) if (matches(p, words(q)) > 0) return `Because you searched “${q}”`;
  const viewed = ctx.closestViewed(p.id);
  return viewed ? `Because you looked at ${viewed.title}` : reasonInWords(item);
}
