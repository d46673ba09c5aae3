import type { RecommendedItem, SearchRankedItem } from '@portrait/worker';
import type { ShopProduct } from '../products.ts';
import { closestViewed, loadSpace } from '../profile/space.ts';
import { productCard } from '../render.ts';
import { cartIds, lastOrderIds, shopOrders } from './cart.ts';
import { arm } from './holdout.ts';
import { productIndex } from './product-index.ts';
import { forYouReason, reasonInWords } from './reasons.ts';
import { startRedraw } from './redraw.ts';
import type { ShopResults } from './search.ts';
import { rankedCards, searchReason } from './search-rank.ts';
import { portrait } from './tag.ts';
import { recentSearches, viewedIds } from './viewed.ts';

// The on-device recommenders where shops show them: "Related" and "Often bought together" on a
// product page, a cross-sell on the cart page and after an order, "For you in <department>" on
// department pages. The worker ranks from the merchant's published catalogue signals (and, for
// "for you", the profile); the page shows each item with its reason in words. A call that answers
// nothing (no tag, no signals yet, an old worker) leaves the page's static list as it is.

/** A product card to draw: the product, its reason in words, and the kind of reason (for tests and styling). */
export interface Card {
  p: ShopProduct;
  reason: string;
  source: string;
}

/** Draws the cards into a grid unless it already shows exactly these (no flicker, no second impression). */
export function paint(grid: Element, cards: readonly Card[]) {
  const key = cards.map((c) => `${c.p.id}:${c.reason}`).join('|');
  if ((grid.getAttribute('data-drawn') ?? '') === key) return;
  grid.innerHTML = cards.map((c) => productCard(c.p, c.reason)).join('');
  grid.setAttribute('data-drawn', key);
  grid.setAttribute('data-reasons', cards.map((c) => c.source).join(','));
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

// Related and bought-together items name the page's own item (`because`): it is the shop's, not
// the shopper's history, so its title is said as given.
function pageItemCards(items: RecommendedItem[], products: Map<string, ShopProduct>, k: number): Card[] {
  return items
    .flatMap((i) => {
      const p = products.get(i.id);
      if (!p) return [];
      const because = i.because ? products.get(i.because)?.title : undefined;
      return [{ p, reason: reasonInWords(i, because), source: i.reason }];
    })
    .slice(0, k);
}

// "For you" items: their reason's step is found in the shop's own lists (the worker names none).
async function forYouCards(items: RecommendedItem[], products: Map<string, ShopProduct>, k: number): Promise<Card[]> {
  const space = await loadSpace(portrait.collector());
  const viewed = viewedIds().slice(0, 12);
  const searches = recentSearches();
  const closest = (id: string) => {
    const because = space ? closestViewed(space, id, viewed) : undefined;
    return because ? products.get(because) : undefined;
  };
  return items
    .flatMap((i) => {
      const p = products.get(i.id);
      return p ? [{ p, reason: forYouReason(p, i, { searches, closestViewed: closest }), source: i.reason }] : [];
    })
    .slice(0, k);
}

/** Draws a surface's cards; answers the ids drawn (none: the grid is left as it was). */
function draw(grid: Element, cards: Card[]): string[] {
  if (cards.length > 0) paint(grid, cards);
  return cards.map((c) => c.p.id);
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
  const taken = new Set(together && togetherGrid ? draw(togetherGrid, pageItemCards(bought, products, 4)) : []);
  if (together && taken.size > 0) together.hidden = false;
  // What "bought together" already shows is not repeated under "Related" (both read the same log).
  const relatedGrid = related?.querySelector('.grid');
  const list = (await ask('related', id, 16)).filter((r) => !taken.has(r.id));
  if (relatedGrid && draw(relatedGrid, pageItemCards(list, products, 4)).length > 0)
    related?.setAttribute('data-source', 'device');
}

/**
 * Each listed item's "bought together", taken in turns (each item's best first), the listed items
 * left out: every item of a cart has its own suggestions in the list, so removing one changes it.
 */
async function boughtWith(ids: string[]): Promise<RecommendedItem[]> {
  const lists = [];
  for (const id of ids) lists.push((await ask('boughtTogether', id, 8)).filter((r) => !ids.includes(r.id)));
  const out = new Map<string, RecommendedItem>();
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) {
      const r = l[i];
      if (r && !out.has(r.id)) out.set(r.id, r);
    }
  return [...out.values()];
}

/** A cross-sell against a list of items (the cart's, or the order just placed). */
async function crossSell(section: HTMLElement, ids: string[]) {
  const grid = section.querySelector('.grid');
  if (!grid) return;
  const products = await productIndex();
  const together = await boughtWith(ids);
  let cards = pageItemCards(together, products, 4);
  // Items nobody bought with anything: "for you" (not in the holdout, which must not see the
  // profile). An empty list has nothing to cross-sell against, so it shows no list at all.
  if (cards.length === 0 && ids.length > 0 && arm() !== 'off')
    cards = await forYouCards(
      (await ask('forYou', 12, shopOrders())).filter((r) => !ids.includes(r.id)),
      products,
      4,
    );
  section.hidden = draw(grid, cards).length === 0;
  section.setAttribute('data-source', together.length > 0 ? 'bought-together' : 'for-you');
}

async function cartSurface() {
  const section = document.querySelector<HTMLElement>('[data-surface="cross-sell"]');
  if (section) await crossSell(section, cartIds());
}

async function orderSurface() {
  const section = document.querySelector<HTMLElement>('[data-surface="after-order"]');
  const order = lastOrderIds();
  // Before the order is placed the checkout page shows no list (the cart page had the cross-sell).
  if (section && order.length > 0) await crossSell(section, order);
}

async function departmentSurface() {
  const section = document.querySelector<HTMLElement>('[data-surface="for-you-department"]');
  const grid = section?.querySelector('.grid');
  const dept = section?.dataset.department;
  if (!section || !grid || !dept || arm() === 'off') return;
  const products = await productIndex();
  // What the shopper already opened is not news here: the department's other products are.
  const viewed = viewedIds();
  const items = (await ask('forYou', 50, shopOrders())).filter(
    (r) => products.get(r.id)?.department === dept && !viewed.includes(r.id),
  );
  if (draw(grid, await forYouCards(items, products, 4)).length > 0) section.hidden = false;
}

/** Fills the page's surfaces and keeps them following the device (within a second of an event). */
export function startSurfaces() {
  const id = pageProductId();
  const run = id
    ? () => productSurfaces(id)
    : location.pathname === '/cart.html'
      ? cartSurface
      : location.pathname === '/checkout.html'
        ? orderSurface
        : document.querySelector('[data-surface="for-you-department"]')
          ? departmentSurface
          : undefined;
  if (!run) return;
  // Redraw when the device stored or folded something, the cart changed (a remove on the cart
  // page), an order was placed, or the shop's own lists changed (the reasons read them).
  startRedraw(
    () => portrait.status(),
    (s) =>
      [
        s?.storedEvents,
        s?.profileEvents,
        s?.model?.state,
        cartIds().join(','),
        lastOrderIds().join(','),
        viewedIds().slice(0, 12).join(','),
        recentSearches().slice(0, 3).join(','),
      ].join(':'),
    run,
  );
}

/** The shop's results in the device's order (the same ids, each with its reason in words). */
async function rerankResults({ q, found, grid }: ShopResults) {
  const answer = await portrait.call<SearchRankedItem[]>(
    'searchRank',
    found.map((p) => p.id),
  );
  const space = await loadSpace(portrait.collector());
  const products = await productIndex();
  const viewed = viewedIds().slice(0, 12);
  const closest = (id: string) => {
    const because = space ? closestViewed(space, id, viewed) : undefined;
    return because ? products.get(because) : undefined;
  };
  const cards = rankedCards(found, answer, (item) => searchReason(item, q, closest));
  if (!cards) return;
  paint(grid, cards);
  grid.closest('section')?.setAttribute('data-source', 'device');
}

/** Keeps the results in the device's order, re-ranked within a second of each stored or folded event. */
export function followSearch(results: ShopResults | undefined) {
  // The holdout ranks nothing on the profile: its results stay in the shop's order.
  if (!results || arm() === 'off') return;
  startRedraw(
    () => portrait.status(),
    (s) => [s?.storedEvents, s?.profileEvents, s?.model?.state, viewedIds().slice(0, 12).join(',')].join(':'),
    () => rerankResults(results),
  );
}
