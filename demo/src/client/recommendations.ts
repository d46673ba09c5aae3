import { rankItems } from '@portrait/core';
import type { ShopProduct } from '../products.ts';
import { closestViewed, loadSpace, type Space } from '../profile/space.ts';
import { shopOrders } from './cart.ts';
import { arm, countClick, countImpressions } from './holdout.ts';
import { mixDepartments } from './mix.ts';
import { productIndex } from './product-index.ts';
import { forYouReason, searchLed } from './reasons.ts';
import { startRedraw } from './redraw.ts';
import { type Card, paint } from './surfaces.ts';
import { portrait } from './tag.ts';
import { latestSearch, recentSearches, viewedIds } from './viewed.ts';

// "Recommended for you", in four modes:
// - for-you (the default): the worker's on-device "for you" (`forYou`): the profile, the
//   merchant's order-log neighbours of what the shopper chose and the shop's popularity, each
//   item with the kind of its reason; it follows every stored event and fold, and a search the
//   shop just served leads it with a few of its matches (the device folds a search only once its
//   model has loaded, seconds later on a fresh page);
// - session: ranked in this page by the shop's own recently-viewed list (the mean of the last few
//   products' vectors, from the catalogue vectors the collector publishes to every device); the
//   page never sees Portrait's profile or event log, so this mode uses only what the shop knows;
// - device: the collector's candidate list (ids and compact vectors only) ranked in the worker
//   with the full profile (`rerank`), long-term first, then mixed so each interest keeps places;
// - server: the collector ranks its catalogue against the compact vector the device synced
//   (`recommend`); lags the device by up to one sync interval.
// Which of the shopper's steps an item follows comes from the shop's own lists (viewed.ts): the
// worker's answers name no item of the shopper's history.

type Mode = 'for-you' | 'session' | 'device' | 'server';
const MODES: readonly Mode[] = ['for-you', 'session', 'device', 'server'];
const MODE = 'portrait-demo-rec-mode';
const K = 8;

// The products that make "this session": the last few the shopper opened.
const RECENT = 5;
// How deep the long-term ranking is read before its interests are mixed into K places.
const LONG_TERM_DEPTH = 48;
// A search leads "for you" with this many of its matches for this long: the device folds the
// search only once its model has loaded, and the shopper expects the list to follow at once.
const SEARCH_LED = 3;
const SEARCH_LEADS_MS = 30 * 60_000;

function sessionRanked(space: Space, viewed: string[], exclude: string[]): string[] {
  const recent = viewed.slice(0, RECENT).flatMap((id) => space.items.get(id) ?? []);
  const first = recent[0];
  if (!first) return [];
  const mean = new Float32Array(first.length);
  for (const v of recent)
    for (let i = 0; i < v.length; i++) mean[i] = (mean[i] as number) + (v[i] as number) / recent.length;
  const items = [...space.items].filter(([id]) => !exclude.includes(id)).map(([id, vector]) => ({ id, vector }));
  return rankItems([mean], items, K * 2).map((r) => r.id);
}

// The holdout's list: the same for every device, one product of each department in turn, so the
// comparison group sees a shop's generic "popular" shelf and no profile at all.
function shopOrder(products: Map<string, ShopProduct>): string[] {
  const byDept = new Map<string, string[]>();
  for (const p of products.values()) byDept.set(p.department, [...(byDept.get(p.department) ?? []), p.id]);
  const lists = [...byDept.values()];
  const out: string[] = [];
  for (let i = 0; out.length < products.size; i++) for (const l of lists) if (l[i]) out.push(l[i] as string);
  return out;
}

/** The ids a mode ranks (best first) and, for "for you", the kind of each one's reason. */
async function ranked(mode: Exclude<Mode, 'session'>, kinds: Map<string, string>): Promise<string[]> {
  if (mode === 'for-you') {
    const list = await portrait.call<{ id: string; reason: string }[]>('forYou', K * 3, shopOrders());
    if (!Array.isArray(list)) return [];
    for (const r of list) if (typeof r?.reason === 'string') kinds.set(r.id, r.reason);
    return list.map((r) => r.id);
  }
  if (mode === 'device')
    return ((await portrait.call<{ id: string }[]>('rerank', LONG_TERM_DEPTH)) ?? []).map((r) => r.id);
  // Only once a sync was accepted: before that the collector has nothing for this device.
  const s = await portrait.status();
  if (!(typeof s?.lastSync?.status === 'number' && s.lastSync.status < 300)) return [];
  return ((await portrait.call<{ id: string }[]>('recommend', K * 2)) ?? []).map((r) => r.id);
}

const STATUS: Record<Mode, string> = {
  'for-you':
    "For you, ranked on this device: your profile, what the shop's customers bought after what you viewed, and what is popular.",
  session: "Ranked in this page from the shop's own list of what you looked at",
  device: 'Ranked on this device by your long-term taste, each of your interests given its share',
  server: "Ranked by the shop's server from the compact vector your device sent.",
};

// Said when a mode ranks from the profile and no viewed product is close to the item.
const FALLBACK: Record<Mode, string> = {
  'for-you': 'Matches what you have been browsing',
  session: 'Close to what you looked at',
  device: 'Matches your long-term taste',
  server: 'Matches the taste your device sent',
};

async function render(section: HTMLElement, mode: Mode) {
  const products = await productIndex();
  const viewed = viewedIds();
  const searches = recentSearches();
  const status = section.querySelector('.recs-status');
  const grid = section.querySelector('.recs-grid');
  if (!grid || !status) return;
  section.setAttribute('data-mode', mode);
  // A new shopper gets no empty box: the section shows once there is something to say.
  section.hidden = viewed.length === 0 && searches.length === 0;
  if (section.hidden) {
    paint(grid, []);
    return;
  }
  const space = await loadSpace(portrait.collector());
  const holdout = arm() === 'off';
  const kinds = new Map<string, string>();
  const order = holdout
    ? shopOrder(products)
    : mode === 'session'
      ? space
        ? sessionRanked(space, viewed, viewed)
        : []
      : await ranked(mode, kinds);
  // Already-viewed products are not news: recommend the rest, except what the shop's own order
  // record brings back ("You bought this before": a buy-again, the shop's fact, not the device's).
  const fresh = order.filter((id) => (!viewed.includes(id) || kinds.get(id) === 'bought-before') && products.has(id));
  const query = mode === 'for-you' && !holdout ? latestSearch(SEARCH_LEADS_MS) : undefined;
  const led = query ? searchLed(products.values(), query, SEARCH_LED, viewed) : [];
  const ids =
    mode === 'device' && !holdout
      ? mixDepartments(
          fresh,
          (id) => products.get(id)?.department,
          K,
          // The shopper's interests over time: the departments of everything the shop saw them open.
          viewed.map((id) => products.get(id)?.department),
        )
      : [...new Set([...led, ...fresh])].slice(0, K);
  const closest = (id: string) => {
    const because = space ? closestViewed(space, id, viewed.slice(0, 12)) : undefined;
    return because ? products.get(because) : undefined;
  };
  const cards: Card[] = ids.flatMap((id) => {
    const p = products.get(id);
    if (!p) return [];
    if (holdout) return [{ p, reason: 'Popular in the shop', source: 'holdout' }];
    if (led.includes(id)) return [{ p, reason: `Because you searched “${query}”`, source: 'search' }];
    const kind = kinds.get(id);
    if (kind)
      return [{ p, reason: forYouReason(p, { reason: kind }, { searches, closestViewed: closest }), source: kind }];
    const near = closest(id);
    return [{ p, reason: near ? `Because you looked at ${near.title}` : FALLBACK[mode], source: mode }];
  });
  if (cards.length === 0) {
    // No list under a status that belongs to another mode: the grid empties with the new status.
    paint(grid, []);
    status.textContent =
      mode === 'server'
        ? 'Waiting for the first sync of your profile to the shop…'
        : 'Your profile is being computed on this device…';
    return;
  }
  status.textContent = holdout
    ? 'Shop favourites: this device is in the comparison group, so these do not use your profile.'
    : mode === 'session'
      ? `${STATUS.session} (${viewed.length} products).`
      : STATUS[mode];
  paint(grid, cards);
  countImpressions(cards.map((c) => c.p.id));
  grid.setAttribute('data-departments', cards.map((c) => c.p.department).join(','));
}

const kept = () => {
  try {
    return sessionStorage.getItem(MODE);
  } catch {
    return null;
  }
};

export function startRecommendations() {
  const section = document.querySelector<HTMLElement>('.recs');
  if (!section) return;
  // A click on a recommended card, for the holdout's click-through (a sum, see holdout.ts).
  section.addEventListener('click', (e) => {
    if ((e.target as Element).closest('.recs-grid a')) countClick();
  });
  let mode: Mode = MODES.find((m) => m === kept()) ?? 'for-you';
  const redraw = startRedraw(
    () => portrait.status(),
    // Every stored event and every fold (a search's included), a sync (the server's mode), the
    // shop's own lists (a view elsewhere, a forget on the profile page), and an empty grid: retried.
    (s) =>
      [
        mode,
        s?.storedEvents,
        s?.profileEvents,
        s?.model?.state,
        s?.lastSync?.at,
        viewedIds().join(','),
        recentSearches().join(','),
        section.querySelectorAll('.recs-grid .card').length > 0,
      ].join(':'),
    () => render(section, mode),
  );
  for (const r of section.querySelectorAll<HTMLInputElement>('input[name="rec-mode"]')) {
    r.checked = r.value === mode;
    r.addEventListener('change', () => {
      mode = MODES.find((m) => m === r.value) ?? 'for-you';
      try {
        sessionStorage.setItem(MODE, mode);
      } catch {
        // Storage blocked: the mode holds for this page only.
      }
      redraw.now();
    });
  }
}
