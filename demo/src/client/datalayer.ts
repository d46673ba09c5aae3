// The GA4 ecommerce pushes a GTM setup makes; the tag reads these too (the third product source,
// beside data attributes and JSON-LD).

export interface Ga4Item {
  item_id: string;
  item_name: string;
  item_category: string;
  price: number;
  quantity: number;
}

type Layer = { dataLayer?: unknown[] };

export function ga4(event: string, items: Ga4Item[], extra: Record<string, unknown> = {}) {
  const host = window as Layer;
  host.dataLayer ??= [];
  host.dataLayer.push({ ecommerce: null });
  host.dataLayer.push({ event, ecommerce: { currency: 'EUR', ...extra, items } });
}

/** The product page's product, read back from its JSON-LD. */
export function pageItem(): Ga4Item | undefined {
  const ld = document.querySelector('script[type="application/ld+json"]');
  if (!ld) return undefined;
  const p = JSON.parse(ld.textContent ?? '{}') as {
    sku: string;
    name: string;
    category: string;
    offers: { price: string };
  };
  return { item_id: p.sku, item_name: p.name, item_category: p.category, price: Number(p.offers.price), quantity: 1 };
}
