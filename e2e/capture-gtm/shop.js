// The shop's own script: GA4 ecommerce pushes the way a GTM setup makes them, nothing Portrait-specific.
const TENT = {
  item_id: 'TENT-9',
  item_name: 'Alpine dome tent',
  item_brand: 'Summit',
  item_category: 'Outdoor > Tents',
  price: 349,
};
const STOVE = { item_id: 'STOVE-2', item_name: 'Titanium camping stove', item_brand: 'Summit', price: 59 };
const MAT = { item_id: 'MAT-4', item_name: 'Inflatable sleeping mat', item_brand: 'Dreamfield', price: 89 };
window.dataLayer = window.dataLayer || [];
const dl = window.dataLayer;
const push = (event, items, extra = {}) => {
  dl.push({ ecommerce: null });
  dl.push({ event, ...extra, ecommerce: { currency: 'EUR', items } });
};

push('view_item', [TENT]);
push('view_item_list', [STOVE, MAT], { item_list_name: 'Related' });
// Calls made before the tag arrives wait in the stub's queue and are replayed in order.
portrait('track', 'like', { product: { id: 'TENT-9' } });
portrait('track', 'search', { query: 'tents, mail me at jane.doe@example.com' });

document.getElementById('buy').addEventListener('click', () => push('add_to_cart', [{ ...TENT, quantity: 1 }]));
document
  .getElementById('pay')
  .addEventListener('click', () => push('purchase', [{ ...TENT, quantity: 1 }], { transaction_id: 'T-1' }));
for (const [i, a] of [...document.querySelectorAll('#related a')].entries()) {
  a.addEventListener('click', (e) => {
    e.preventDefault();
    push('select_item', [[STOVE, MAT][i]]);
  });
}
document.getElementById('search').addEventListener('submit', (e) => {
  e.preventDefault();
  dl.push({ event: 'search', search_term: e.target.elements.q.value });
});
