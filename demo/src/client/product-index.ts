import type { ShopProduct } from '../products.ts';

// The shop's products by id, from a static file emitted at build time; pages fetch it only when
// they render a list by id (search results, recommendations, cart, the drawer).
let cached: Promise<Map<string, ShopProduct>> | undefined;

export function productIndex(): Promise<Map<string, ShopProduct>> {
  cached ??= fetch('/products.json')
    .then((r) => r.json() as Promise<ShopProduct[]>)
    .then((list) => new Map(list.map((p) => [p.id, p])));
  return cached;
}
