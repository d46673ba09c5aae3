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

/** The home page with ?q= shows the results (the tag reads the query from the URL itself). */
export async function startSearch() {
  const q = new URLSearchParams(location.search).get('q')?.trim();
  const box = document.querySelector<HTMLElement>('#search-results');
  if (!q || !box) return;
  const input = document.querySelector<HTMLInputElement>('.search input');
  if (input) input.value = q;
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  const found = [...(await productIndex()).values()]
    .map((p) => ({ p, s: matches(p, words) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .slice(0, 48);
  const title = box.querySelector('h2');
  if (title) title.textContent = `${found.length} results for “${q}”`;
  const grid = box.querySelector('.grid');
  if (grid)
    grid.innerHTML = found.length
      ? found.map((x) => productCard(x.p)).join('')
      : `<li class="empty">Nothing matches “${esc(q)}”. Try “coffee” or “trail”.</li>`;
  box.hidden = false;
}
