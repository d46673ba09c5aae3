import { searchForm } from './render';

// The shop's own script. Capture is the tag's job (loaded from the snippet); this only
// wires up shop behaviour that a real storefront would have, including the GA4 ecommerce
// pushes a GTM setup makes (the tag reads those too).
document.documentElement.classList.add('js');
document.querySelector('.bar')?.insertAdjacentHTML('beforeend', searchForm());

type Layer = { dataLayer?: unknown[] };
(window as Layer).dataLayer ??= [];
const layer = (window as Layer).dataLayer as unknown[];

function productItem() {
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

const item = productItem();
if (item) {
  layer.push({ ecommerce: null });
  layer.push({ event: 'view_item', ecommerce: { currency: 'EUR', items: [item] } });
}
document.querySelector('.buy')?.addEventListener('click', () => {
  layer.push({ ecommerce: null });
  layer.push({ event: 'add_to_cart', ecommerce: { currency: 'EUR', items: [item] } });
});
document.querySelector('.checkout')?.addEventListener('click', () => {
  layer.push({ ecommerce: null });
  layer.push({ event: 'begin_checkout', ecommerce: { currency: 'EUR', items: [item] } });
});
