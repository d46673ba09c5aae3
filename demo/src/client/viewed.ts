// The shop's own "recently viewed" list: the product pages this shop served the shopper, kept by
// the shop as any storefront does. It is the shop's data, not Portrait's: page scripts cannot
// read the tag's event log (the tag hands it only to the shopper, as a download).

const KEY = 'portrait-demo-viewed';
// When each was last viewed (ms), so "forget the last N days" can drop the shop's entries too.
const AT = 'portrait-demo-viewed-at';
// The shop's recent searches, with when (ms): the shop served them, as any storefront logs its searches.
const SEARCHES = 'portrait-demo-searches';
// Set by the drawer's Pause: the shop stops adding to its list too.
const PAUSED = 'portrait-demo-paused';

/** Product ids, most recent first. */
export function viewedIds(): string[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

type Search = { q: string; at: number };

function searchList(): Search[] {
  try {
    const list = JSON.parse(localStorage.getItem(SEARCHES) ?? '[]');
    return Array.isArray(list)
      ? list.filter((s): s is Search => typeof s?.q === 'string' && typeof s?.at === 'number')
      : [];
  } catch {
    return [];
  }
}

/** The shop's recent searches, latest first (a "for you" item it matches names it as its reason). */
export function recentSearches(): string[] {
  return searchList().map((s) => s.q);
}

/** The latest search if it is under `maxAgeMs` old: what "for you" leads with. */
export function latestSearch(maxAgeMs: number): string | undefined {
  const s = searchList()[0];
  return s && Date.now() - s.at < maxAgeMs ? s.q : undefined;
}

/** Adds this page's product (product pages are served at `/p/<id>.html`), or its search (`/?q=`). */
export function recordView(doc: Document = document) {
  try {
    if (sessionStorage.getItem(PAUSED) === '1') return;
    const q = doc.location?.pathname === '/' ? new URLSearchParams(doc.location.search).get('q')?.trim() : undefined;
    if (q) {
      const list = [{ q, at: Date.now() }, ...searchList().filter((s) => s.q !== q)].slice(0, 10);
      localStorage.setItem(SEARCHES, JSON.stringify(list));
    }
    const path = /^\/p\/([^/]+)\.html$/.exec(doc.location?.pathname ?? '')?.[1];
    const id = path && decodeURIComponent(path);
    if (!id) return;
    localStorage.setItem(KEY, JSON.stringify([id, ...viewedIds().filter((v) => v !== id)].slice(0, 50)));
    localStorage.setItem(AT, JSON.stringify({ ...viewedAt(), [id]: Date.now() }));
  } catch {
    // Storage blocked: the shop keeps no list, and the page goes on.
  }
}

function viewedAt(): Record<string, number> {
  try {
    const at = JSON.parse(localStorage.getItem(AT) ?? '{}');
    return typeof at === 'object' && at !== null ? (at as Record<string, number>) : {};
  } catch {
    return {};
  }
}

/** Drops one product from the shop's list (the profile page's "forget this item"). */
export function forgetViewed(id: string) {
  localStorage.setItem(KEY, JSON.stringify(viewedIds().filter((v) => v !== id)));
}

/** Drops what was viewed at or after `since` (ms); entries of unknown time go too. */
export function forgetViewedSince(since: number) {
  const at = viewedAt();
  localStorage.setItem(KEY, JSON.stringify(viewedIds().filter((v) => (at[v] ?? Number.POSITIVE_INFINITY) < since)));
  localStorage.setItem(SEARCHES, JSON.stringify(searchList().filter((s) => s.at < since)));
}

export function clearViewed() {
  localStorage.removeItem(KEY);
  localStorage.removeItem(AT);
  localStorage.removeItem(SEARCHES);
}
