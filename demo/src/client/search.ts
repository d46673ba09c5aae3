import type { ShopProduct } from '../products.ts';
import { esc, productCard } from '../render.ts';
import { productIndex } from './product-index.ts';

/** Scores a product for a query: every word must appear somewhere; title hits count double. */
export function matches(p: ShopProduct, words: string[]): number {
  const title = p.title.toLowerCase();
  const rest = `${p.brand} ${p.category} ${p.description}`.toLowerCase();
  let score = 0;
  for (const w of words) {
    if (title.includes(w)) score += 2;
    else if (rest.includes(w)) score += 1;
    else return 0;
  }
  return score;
}

/** What the shop's own search found for the page's query, in its order (best text match first). */
export interface ShopResults {
  q: string;
  found: ShopProduct[];
  grid: Element;
}

/**
 * The home page with ?q= shows the results in the shop's order (the tag reads the query from the
 * URL itself); answers them so the device can re-rank them once the tag is there.
 */
export async function startSearch(): Promise<ShopResults | undefined> {
  const q = new URLSearchParams(location.search).get('q')?.trim();
  const box = document.querySelector<HTMLElement>('#search-results');
  if (!q || !box) return undefined;
  const input = document.querySelector<HTMLInputElement>('.search input');
  if (input) input.value = q;
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const found = [...(await productIndex()).values()]
    .map((x) => ({ p: x, s: matches(x, words) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, 48)
    .map((x) => x.p);
  const title = box.querySelector('h2');
  if (title) title.textContent = `${found.length} results for “${q}”`;
  const grid = box.querySelector('.grid');
  if (!grid) return undefined;
  grid.innerHTML = found.length
    ? found.map((p) => productCard(p)).join('')
    : `<li class="empty">Nothing matches “${esc(q)}”. Try “coffee” or “trail”.</li>`;
  box.hidden = false;
  return found.length > 0 ? { q, found, grid } : undefined;
}
