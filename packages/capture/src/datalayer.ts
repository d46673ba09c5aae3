import type { EventType, PortraitEvent, ProductInfo } from '@portrait/core';
import { obj, product } from './product.ts';

/** A capture the dataLayer yields; `view` is a page product, not an event yet (it carries dwell). */
export type Capture = Omit<Partial<PortraitEvent>, 'type'> & { type: EventType | 'page_product' };

// GA4 ecommerce event name → Portrait event type; the cart and checkout names are the same in both.
const RENAMED: Record<string, Capture['type']> = {
  view_item: 'page_product',
  view_item_list: 'impression',
  select_item: 'click',
};
const SAME = ['add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase'];

const item = (i: unknown): ProductInfo | undefined => {
  const o = obj(i);
  return o && product(o.item_id ?? o.id, o.item_name ?? o.name, o.item_category, o.item_brand, o.price);
};

/**
 * Reads one dataLayer entry: GTM style (`{event, ecommerce: {items}}`) or gtag style (the
 * `arguments` of `gtag('event', name, params)`). Anything else yields nothing.
 */
export function fromDataLayer(entry: unknown): Capture[] {
  const o = obj(entry);
  if (!o) return [];
  let name = o.event;
  let params = obj(o.ecommerce);
  if (o[0] === 'event') {
    name = o[1];
    params = obj(o[2]);
  }
  if (typeof name !== 'string') return [];
  if (name === 'search') {
    const q = params?.search_term ?? o.search_term;
    return typeof q === 'string' && q.trim() ? [{ type: 'search', query: q.slice(0, 300) }] : [];
  }
  // indexOf and index writes, not includes and push: the host page may have replaced those.
  const type = SAME.indexOf(name) < 0 ? RENAMED[name] : (name as EventType);
  const items = params?.items;
  if (!type || !Array.isArray(items)) return [];
  const out: Capture[] = [];
  for (const i of items.slice(0, 50)) {
    const p = item(i);
    const q = Number(obj(i)?.quantity);
    if (p) out[out.length] = { type, product: p, quantity: q > 0 ? q : undefined };
  }
  return out;
}

type Layer = { push: (...a: unknown[]) => unknown; slice: unknown[]['slice']; __portrait?: 1 };

/**
 * Wraps `dataLayer.push` so every entry is also read by `onEntry`, then the original push runs
 * with the same `this` and arguments and its return value is handed back unchanged; entries
 * already queued are read first. GTM replacing push later keeps calling ours underneath.
 */
export function watchDataLayer(w: Record<string, unknown>, name: string, onEntry: (e: unknown) => void): void {
  w[name] ??= [];
  if (!Array.isArray(w[name])) return;
  const dl = w[name] as Layer;
  if (dl.__portrait) return;
  for (const e of dl.slice(0, 200)) onEntry(e);
  const original = dl.push;
  Object.defineProperty(dl, '__portrait', { value: 1 });
  dl.push = function (this: unknown, ...args: unknown[]) {
    // Read first: a throw from the page's own push (a GTM listener of its own) then costs us
    // nothing, and it still reaches the page's caller as the page made it.
    for (const e of args) onEntry(e);
    return original.apply(this, args);
  };
}
