import type { RecommendedItem } from '@portrait/worker';
import type { ShopProduct } from '../products.ts';
import { productCard } from '../render.ts';
import { cartIds } from './cart.ts';
import { arm } from './holdout.ts';
import { productIndex } from './product-index.ts';
import { portrait } from './tag.ts';

// The on-device recommenders where shops show them: "Related" and "Often bought together" on a
// product page, a cross-sell on the cart page, "For you in <department>" on department pages.
// The worker ranks from the merchant's published catalogue signals (and, for "for you", the
// profile); the page shows each item with its reason in words. A call that answers nothing (no
// tag, no signals yet, an old worker) leaves the page's static list as it is.

/** The reason the worker gives, in the words a shopper reads; `title` is the item it refers to. */
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
      return 'You looked at this before';
    default:
      return 'Popular in the shop';
  }
}

// Answers only a well-formed list: anything else (undefined, an error) means "keep what is shown".
async function ask(method: 'related' | 'boughtTogether' | 'forYou', ...args: unknown[]): Promise<RecommendedItem[]> {
  try {
    const r = await portrait.call<RecommendedItem[]>(method, ...args);
    return Array.isArray(r) ? r.filter((i) => i && typeof i.id === 'string') : [];
  } catch {
    return [];
  }
}

/** Cards for the items the shop sells, each with its reason; answers the ids shown (none: the grid is untouched). */
function draw(grid: Element, items: RecommendedItem[], products: Map<string, ShopProduct>, k: number): string[] {
  const cards = items
    .flatMap((i) => {
      const p = products.get(i.id);
      if (!p) return [];
      const because = i.because ? products.get(i.because)?.title : undefined;
      return [{ p, reason: reasonInWords(i, because), source: i.reason }];
    })
    .slice(0, k);
  const ids = cards.map((c) => c.p.id);
  if (cards.length === 0) return ids;
  const key = cards.map((c) => `${c.p.id}:${c.reason}`).join('|');
  // Unchanged: no redraw (the tag would see the same cards again, and the grid would flicker).
  if (grid.getAttribute('data-drawn') === key) return ids;
  grid.innerHTML = cards.map((c) => productCard(c.p, c.reason)).join('');
  grid.setAttribute('data-drawn', key);
  grid.setAttribute('data-reasons', cards.map((c) => c.source).join(','));
  return ids;
}

const pageProductId = () => {
  const id = /^\/p\/([^/]+)\.html$/.exec(location.pathname)?.[1];
  return id ? decodeURIComponent(id) : undefined;
};

async function productSurfaces(id: string) {
  const products = await productIndex();
  const related = document.querySelector('[data-surface="related"]');
  const together = document.querySelector<HTMLElement>('[data-surface="bought-together"]');
  const togetherGrid = together?.querySelector('.grid');
  const bought = await ask('boughtTogether', id, 8);
  const taken = new Set(together && togetherGrid ? draw(togetherGrid, bought, products, 4) : []);
  if (together && taken.size > 0) together.hidden = false;
  // What "bought together" already shows is not repeated under "Related" (both read the same log).
  const relatedGrid = related?.querySelector('.grid');
  const list = (await ask('related', id, 16)).filter((r) => !taken.has(r.id));
  if (relatedGrid && draw(relatedGrid, list, products, 4).length > 0) related?.setAttribute('data-source', 'device');
}

async function cartSurface() {
  const section = document.querySelector<HTMLElement>('[data-surface="cross-sell"]');
  const grid = section?.querySelector('.grid');
  if (!section || !grid) return;
  const products = await productIndex();
  const inCart = cartIds();
  // Each cart item's "bought together" list, merged by best score, the cart's own items left out.
  const best = new Map<string, RecommendedItem>();
  for (const id of inCart)
    for (const r of await ask('boughtTogether', id, 8))
      if (!inCart.includes(r.id) && !(r.score <= (best.get(r.id)?.score ?? Number.NEGATIVE_INFINITY)))
        best.set(r.id, r);
  let items = [...best.values()].sort((a, b) => b.score - a.score);
  // Items nobody bought with anything: "for you" (not in the holdout, which must not see the
  // profile). An empty cart has nothing to cross-sell against, so it shows no list at all.
  if (items.length === 0 && inCart.length > 0 && arm() !== 'off')
    items = (await ask('forYou', 12)).filter((r) => !inCart.includes(r.id));
  section.hidden = draw(grid, items, products, 4).length === 0;
  section.setAttribute('data-source', best.size > 0 ? 'bought-together' : 'for-you');
}

async function departmentSurface() {
  const section = document.querySelector<HTMLElement>('[data-surface="for-you-department"]');
  const grid = section?.querySelector('.grid');
  const dept = section?.dataset.department;
  if (!section || !grid || !dept || arm() === 'off') return;
  const products = await productIndex();
  const items = (await ask('forYou', 60)).filter((r) => products.get(r.id)?.department === dept);
  if (draw(grid, items, products, 4).length > 0) section.hidden = false;
}

/** Fills the page's surfaces and keeps them following the device (within a second of an event). */
export function startSurfaces() {
  const id = pageProductId();
  const run = id
    ? () => productSurfaces(id)
    : location.pathname === '/cart.html'
      ? cartSurface
      : document.querySelector('[data-surface="for-you-department"]')
        ? departmentSurface
        : undefined;
  if (!run) return;
  let busy = false;
  let drawn = '';
  const tick = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      // A status call costs no network: redraw when the device stored or folded something, or the
      // cart changed (a remove on the cart page).
      const s = await portrait.status();
      const state = `${s?.storedEvents}:${s?.profileEvents}:${s?.model?.state}:${cartIds().join(',')}`;
      if (state === drawn) return;
      await run();
      drawn = state;
    } catch {
      // Never into the page: the static list stays.
    } finally {
      busy = false;
    }
  };
  void tick();
  setInterval(() => void tick(), 300);
}
