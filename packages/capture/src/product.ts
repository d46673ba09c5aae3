import type { ProductInfo } from '@portrait/core';

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Product data from `data-portrait-*` attributes on an element (a product card or page root). */
export function productFromAttributes(el: Element): ProductInfo | undefined {
  const id = el.getAttribute('data-portrait-product');
  if (!id) return undefined;
  const p: ProductInfo = { id };
  const title = el.getAttribute('data-portrait-title');
  const category = el.getAttribute('data-portrait-category');
  const brand = el.getAttribute('data-portrait-brand');
  const price = num(el.getAttribute('data-portrait-price'));
  if (title) p.title = title;
  if (category) p.category = category;
  if (brand) p.brand = brand;
  if (price !== undefined) p.price = price;
  return p;
}

function fromJsonLd(node: unknown): ProductInfo | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const p = fromJsonLd(n);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const o = node as Record<string, unknown>;
  if ('@graph' in o) return fromJsonLd(o['@graph']);
  const type = o['@type'];
  if (type !== 'Product' && !(Array.isArray(type) && type.includes('Product'))) return undefined;
  const id = o.sku ?? o.productID ?? o['@id'];
  if (typeof id !== 'string' && typeof id !== 'number') return undefined;
  const p: ProductInfo = { id: String(id) };
  if (typeof o.name === 'string') p.title = o.name;
  if (typeof o.category === 'string') p.category = o.category;
  const brand = o.brand;
  if (typeof brand === 'string') p.brand = brand;
  else if (typeof brand === 'object' && brand && typeof (brand as { name?: unknown }).name === 'string') {
    p.brand = (brand as { name: string }).name;
  }
  const offers = (Array.isArray(o.offers) ? o.offers[0] : o.offers) as Record<string, unknown> | undefined;
  const price = num(offers?.price);
  if (price !== undefined) p.price = price;
  return p;
}

/** The product a product page is about: page-level data attributes first, then schema.org JSON-LD. */
export function pageProduct(doc: Document): ProductInfo | undefined {
  const root = doc.querySelector('[data-portrait-page="product"][data-portrait-product]');
  if (root) return productFromAttributes(root);
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      const p = fromJsonLd(JSON.parse(script.textContent ?? ''));
      if (p) return p;
    } catch {
      // A shop's broken JSON-LD is its own business; skip it.
    }
  }
  return undefined;
}
