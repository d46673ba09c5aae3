import type { Product } from './catalogue';

// Server-side-style rendering at build time: product data is in the HTML when the tag parses it,
// as on a real shop, not injected later by script.

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function productCard(p: Product): string {
  return `<li class="card" data-portrait-product="${esc(p.id)}" data-portrait-title="${esc(p.title)}" data-portrait-category="${esc(p.category)}" data-portrait-brand="${esc(p.brand)}" data-portrait-price="${p.price}">
  <a href="/p/${esc(p.id)}.html">${productImage(p)}<span class="title">${esc(p.title)}</span></a>
  <span class="price">€${p.price.toFixed(2)}</span>
</li>`;
}

export function productImage(p: Product): string {
  // A generated image: hue from the category so related items look related.
  let h = 0;
  for (const c of p.category) h = (h * 31 + c.charCodeAt(0)) % 360;
  return `<svg class="img" viewBox="0 0 120 80" role="img" aria-label="${esc(p.title)}"><rect width="120" height="80" fill="hsl(${h} 55% 85%)"/><text x="60" y="46" text-anchor="middle" font-size="12" fill="hsl(${h} 60% 25%)">${esc(p.brand)}</text></svg>`;
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

export function productMain(p: Product): string {
  return `<main id="main" class="product">
  ${productImage(p)}
  <div>
    <p class="crumbs">${esc(p.category)}</p>
    <h1>${esc(p.title)}</h1>
    <p class="brand">${esc(p.brand)}</p>
    <p>${esc(p.description)}</p>
    <p class="price">€${p.price.toFixed(2)}</p>
    <p class="actions">
      <button type="button" class="buy" data-portrait-action="add_to_cart" data-portrait-quantity="1">Add to cart</button>
      <button type="button" class="checkout">Checkout</button>
    </p>
    <a href="/">Back to the shop</a>
  </div>
</main>`;
}

/** The header search box; the tag reads the query from the submit (role=search). */
export function searchForm(): string {
  return '<form role="search" action="/" class="search"><input type="search" name="q" placeholder="Search" aria-label="Search"></form>';
}
