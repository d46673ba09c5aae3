import type { ProductInfo } from '@portrait/core';

// Product data as the page describes it: `data-portrait-*` first, then schema.org (JSON-LD,
// microdata), then GA4 dataLayer items (see datalayer.ts). Every value is untrusted page text.

const MAX = 300;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, MAX) : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number.parseFloat(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** Builds a ProductInfo from loose fields, or undefined without a usable id. */
export function product(id: unknown, title?: unknown, category?: unknown, brand?: unknown, price?: unknown) {
  const p = { id: str(id), title: str(title), category: str(category), brand: str(brand), price: num(price) };
  // Absent fields stay undefined here: the worker's parseEvent rebuilds the product from the
  // fields it has, and JSON (the kept copy) drops them.
  return p.id ? (p as ProductInfo) : undefined;
}

/** Product data from `data-portrait-*` attributes on an element (a product card or page root). */
export function productFromAttributes(el: Element): ProductInfo | undefined {
  const a = (n: string) => el.getAttribute(`data-portrait-${n}`);
  return product(a('product'), a('title'), a('category'), a('brand'), a('price'));
}

type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj | undefined => (typeof v === 'object' && v !== null ? (v as Obj) : undefined);
const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export function fromJsonLd(node: unknown, depth = 0): ProductInfo | undefined {
  if (depth > 4) return undefined;
  if (Array.isArray(node)) {
    for (const n of node.slice(0, 50)) {
      const p = fromJsonLd(n, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  const o = obj(node);
  if (!o) return undefined;
  if (o['@graph']) return fromJsonLd(o['@graph'], depth + 1);
  const type = o['@type'];
  if (type !== 'Product' && !(Array.isArray(type) && type.includes('Product'))) return undefined;
  const brand = first(o.brand);
  return product(
    o.sku ?? o.productID ?? o['@id'],
    o.name,
    o.category,
    obj(brand)?.name ?? brand,
    obj(first(o.offers))?.price ?? obj(first(o.offers))?.lowPrice,
  );
}

function fromMicrodata(doc: Document): ProductInfo | undefined {
  const root = doc.querySelector('[itemscope][itemtype$="schema.org/Product"]');
  if (!root) return undefined;
  const prop = (n: string) => {
    const el = root.querySelector(`[itemprop="${n}"]`);
    return el?.getAttribute('content') ?? el?.textContent;
  };
  return product(prop('sku') ?? prop('productID'), prop('name'), prop('category'), prop('brand'), prop('price'));
}

/** The product a product page is about: page-level data attributes, then JSON-LD, then microdata. */
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
  return fromMicrodata(doc);
}
