// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fromJsonLd, pageProduct, productFromAttributes } from './product.ts';

const html = (s: string) => {
  document.documentElement.innerHTML = s;
  return document;
};

describe('product data', () => {
  it('reads data-portrait-* attributes', () => {
    const el = html(
      '<body><div data-portrait-product="A1" data-portrait-title=" Shoe " data-portrait-price="9.5" data-portrait-brand="B"></div></body>',
    ).querySelector('div') as Element;
    expect(productFromAttributes(el)).toEqual({ id: 'A1', title: 'Shoe', price: 9.5, brand: 'B' });
  });

  it('caps huge attribute values and drops bad prices', () => {
    const el = document.createElement('div');
    el.setAttribute('data-portrait-product', 'X');
    el.setAttribute('data-portrait-title', 'a'.repeat(1_000_000));
    el.setAttribute('data-portrait-price', '-3');
    const p = productFromAttributes(el);
    expect(p?.title).toHaveLength(300);
    expect(p?.price).toBeUndefined();
  });

  it('reads schema.org JSON-LD, including @graph and brand objects, skipping broken scripts', () => {
    const doc = html(`<head>
      <script type="application/ld+json">{ broken</script>
      <script type="application/ld+json">{"@graph":[{"@type":"WebPage"},{"@type":"Product","sku":"S-9","name":"Tent","brand":{"@type":"Brand","name":"Camp"},"offers":[{"price":"199.00"}]}]}</script>
    </head>`);
    expect(pageProduct(doc)).toEqual({ id: 'S-9', title: 'Tent', brand: 'Camp', price: 199 });
  });

  it('prefers page-level data attributes over JSON-LD', () => {
    const doc = html(`<head><script type="application/ld+json">{"@type":"Product","sku":"LD"}</script></head>
      <body><main data-portrait-page="product" data-portrait-product="ATTR"></main></body>`);
    expect(pageProduct(doc)?.id).toBe('ATTR');
  });

  it('falls back to microdata', () => {
    const doc = html(`<body><div itemscope itemtype="https://schema.org/Product">
      <span itemprop="name">Lamp</span><meta itemprop="sku" content="L-1"><span itemprop="price" content="12">€12</span>
    </div></body>`);
    expect(pageProduct(doc)).toEqual({ id: 'L-1', title: 'Lamp', price: 12 });
  });

  it('survives deep or cyclic-looking JSON-LD', () => {
    let deep: unknown = { '@type': 'Product', sku: 'deep' };
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(fromJsonLd(deep)).toBeUndefined();
    expect(fromJsonLd({ '@type': ['Thing', 'Product'], productID: 5 })).toEqual({ id: '5' });
  });
});
