import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromDataLayer, watchDataLayer } from './datalayer.ts';

const shoe = { item_id: 'SKU-1', item_name: 'Trail shoe', item_brand: 'Stride', item_category: 'Shoes', price: 99 };

describe('fromDataLayer', () => {
  it('maps GTM-style GA4 ecommerce events', () => {
    expect(fromDataLayer({ event: 'add_to_cart', ecommerce: { items: [{ ...shoe, quantity: 2 }] } })).toEqual([
      {
        type: 'add_to_cart',
        product: { id: 'SKU-1', title: 'Trail shoe', brand: 'Stride', category: 'Shoes', price: 99 },
        quantity: 2,
      },
    ]);
    expect(fromDataLayer({ event: 'view_item', ecommerce: { items: [shoe] } })[0]?.type).toBe('page_product');
    expect(fromDataLayer({ event: 'view_item_list', ecommerce: { items: [shoe, { item_id: 7 }] } })).toHaveLength(2);
    expect(fromDataLayer({ event: 'search', search_term: 'red socks' })).toEqual([
      { type: 'search', query: 'red socks' },
    ]);
  });

  it('maps gtag-style arguments objects', () => {
    const args = (function (..._a: unknown[]) {
      // biome-ignore lint/complexity/noArguments: gtag pushes the arguments object itself
      return arguments;
    })('event', 'purchase', { items: [shoe] });
    expect(fromDataLayer(args).map((c) => c.type)).toEqual(['purchase']);
  });

  it('ignores non-ecommerce and malformed entries', () => {
    for (const e of [
      null,
      1,
      'x',
      { event: 'gtm.js' },
      { event: 'add_to_cart' },
      { event: 'purchase', ecommerce: { items: [{}] } },
    ]) {
      expect(fromDataLayer(e)).toEqual([]);
    }
  });

  it('reads entries on a page that replaced Array.prototype push and includes', () => {
    const { push, includes } = Array.prototype;
    let read: ReturnType<typeof fromDataLayer>[];
    try {
      Array.prototype.push = () => {
        throw new Error('hostile push');
      };
      Array.prototype.includes = () => true;
      read = [
        fromDataLayer({ event: 'add_to_cart', ecommerce: { items: [shoe] } }),
        fromDataLayer({ event: 'view_item', ecommerce: { items: [shoe] } }),
        fromDataLayer({ event: 'not_ecommerce', ecommerce: { items: [shoe] } }),
      ];
    } finally {
      Array.prototype.push = push;
      Array.prototype.includes = includes;
    }
    expect(read.map((r) => r.map((c) => c.type))).toEqual([['add_to_cart'], ['page_product'], []]);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        fromDataLayer(v);
        fromDataLayer({ event: 'add_to_cart', ecommerce: { items: [v] } });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('watchDataLayer', () => {
  it('reads queued and new entries and keeps push semantics', () => {
    const seen: unknown[] = [];
    const dl = [{ event: 'a' }];
    const w: Record<string, unknown> = { dataLayer: dl };
    watchDataLayer(w, 'dataLayer', (e) => seen.push(e));
    expect(dl.push({ event: 'b' }, { event: 'c' })).toBe(3);
    expect(dl).toHaveLength(3);
    expect(seen).toEqual([{ event: 'a' }, { event: 'b' }, { event: 'c' }]);
  });

  it('keeps a custom push (GTM) in the chain with its own return value and this', () => {
    const dl: unknown[] = [];
    let self: unknown;
    // GTM replaces push with its own function, which need not return the new length.
    Object.defineProperty(dl, 'push', {
      writable: true,
      value(this: unknown, ...a: unknown[]) {
        self = this;
        Array.prototype.push.apply(dl, a);
        return 'gtm';
      },
    });
    const seen: unknown[] = [];
    watchDataLayer({ dataLayer: dl }, 'dataLayer', (e) => seen.push(e));
    expect(dl.push({ event: 'x' })).toBe('gtm');
    expect(self).toBe(dl);
    expect(seen).toEqual([{ event: 'x' }]);
  });

  it("reads the entries even when the page's own push throws, and leaves the throw to the page", () => {
    const dl: unknown[] = [];
    // A GTM-style listener of the page's that fails after storing the entry.
    Object.defineProperty(dl, 'push', {
      writable: true,
      value(...a: unknown[]) {
        Array.prototype.push.apply(dl, a);
        throw new Error('page listener failed');
      },
    });
    const seen: unknown[] = [];
    watchDataLayer({ dataLayer: dl }, 'dataLayer', (e) => seen.push(e));
    expect(() => dl.push({ event: 'x' })).toThrow('page listener failed');
    expect(seen).toEqual([{ event: 'x' }]);
    expect(dl).toEqual([{ event: 'x' }]);
  });

  it('creates the layer when absent and wraps only once', () => {
    const w: Record<string, unknown> = {};
    let n = 0;
    watchDataLayer(w, 'dataLayer', () => n++);
    watchDataLayer(w, 'dataLayer', () => n++);
    (w.dataLayer as unknown[]).push({ event: 'x' });
    expect(n).toBe(1);
  });

  it('leaves a non-array layer alone', () => {
    const w: Record<string, unknown> = { dataLayer: { push: 1 } };
    watchDataLayer(w, 'dataLayer', () => {});
    expect(w.dataLayer).toEqual({ push: 1 });
  });
});
