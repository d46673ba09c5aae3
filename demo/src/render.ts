import type { Product } from '@portrait/fixtures/seed-products';
import { productImage } from './render-image.ts';

// Server-side-style rendering at build time: product data is in the HTML when the tag parses it,
// as on a real shop, not injected later by script. The client reuses these for dynamic lists.

export const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const euro = (n: number) => `€${n.toFixed(2)}`;

export { productImage };

/** A listing card: the tag reads the product from its data-portrait-* attributes. */
export function productCard(p: Product, reason?: string): string {
  return `<li class="card" data-portrait-product="${esc(p.id)}" data-portrait-title="${esc(p.title)}" data-portrait-category="${esc(p.category)}" data-portrait-brand="${esc(p.brand)}" data-portrait-price="${p.price}">
  <a href="/p/${esc(p.id)}.html">${productImage(p)}<span class="title">${esc(p.title)}</span></a>
  <span class="meta"><span class="brand">${esc(p.brand)}</span> <span class="price">${euro(p.price)}</span></span>${
    reason ? `\n  <span class="reason">${esc(reason)}</span>` : ''
  }
</li>`;
}

export function productJsonLd(p: Product): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    sku: p.id,
    name: p.title,
    description: p.description,
    category: p.category,
    brand: { '@type': 'Brand', name: p.brand },
    offers: { '@type': 'Offer', price: p.price.toFixed(2), priceCurrency: 'EUR' },
  };
  // `<` is escaped so a title can never close the script element.
  return `<script type="application/ld+json">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
}

/** The header search box; the tag reads the query from the results URL (role=search, GET). */
export function searchForm(): string {
  return '<form role="search" action="/" class="search"><input type="search" name="q" placeholder="Search 324 products" aria-label="Search products"></form>';
}
