import { esc, euro } from '../render.ts';
import { type Ga4Item, ga4, pageItem } from './datalayer.ts';
import { productIndex } from './product-index.ts';

// A cart in localStorage (a real shop keeps it server-side; the tag does not care which).
const KEY = 'demo-cart';
type Lines = Record<string, number>;

const read = (): Lines => {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Lines;
  } catch {
    return {};
  }
};
const write = (lines: Lines) => {
  localStorage.setItem(KEY, JSON.stringify(lines));
  badge();
};

/** The ids in the cart (the cart page's cross-sell asks for what goes with them). */
export const cartIds = (): string[] => Object.keys(read());

// The order placed on this page (the checkout page's "goes well with your order" asks for it).
let ordered: string[] = [];
export const lastOrderIds = (): string[] => ordered;

// The shop's own record of this shopper's orders, item id -> units: a real shop keeps it on its
// server and prints it into the page for a signed-in shopper. "For you" gets it so "buy again"
// needs no device history (the worker never answers an item it saw unless this record names it).
const ORDERS = 'demo-orders';
const MAX_ORDER_ITEMS = 100;
const readOrders = (): Lines => {
  try {
    return JSON.parse(localStorage.getItem(ORDERS) ?? '{}') as Lines;
  } catch {
    return {};
  }
};

/** The shop's order record as the worker's `forYou` takes it: `{ id, count }`, the latest 100 items. */
export const shopOrders = (): { id: string; count: number }[] =>
  Object.entries(readOrders())
    .filter(([, n]) => Number.isInteger(n) && n >= 1)
    .slice(-MAX_ORDER_ITEMS)
    .map(([id, n]) => ({ id, count: Math.min(n, 1000) }));

function recordOrder(list: readonly Ga4Item[]) {
  const o = readOrders();
  for (const i of list) {
    // Re-inserted, so the latest order's items are the last MAX_ORDER_ITEMS kept.
    const n = (o[i.item_id] ?? 0) + i.quantity;
    delete o[i.item_id];
    o[i.item_id] = n;
  }
  localStorage.setItem(ORDERS, JSON.stringify(o));
}

function badge() {
  const n = Object.values(read()).reduce((a, b) => a + b, 0);
  for (const el of document.querySelectorAll('.cart-count')) el.textContent = String(n);
}

async function items(): Promise<Ga4Item[]> {
  const byId = await productIndex();
  return Object.entries(read()).flatMap(([id, quantity]) => {
    const p = byId.get(id);
    return p ? [{ item_id: p.id, item_name: p.title, item_category: p.category, price: p.price, quantity }] : [];
  });
}

async function renderLines(editable: boolean, placed?: Ga4Item[]) {
  const box = document.querySelector('.cart-lines');
  if (!box) return;
  // After an order the cart is empty: the summary shows what was ordered, not "your cart is empty".
  const list = placed ?? (await items());
  if (list.length === 0) {
    box.innerHTML = '<p>Your cart is empty.</p>';
    return;
  }
  const total = list.reduce((s, i) => s + i.price * i.quantity, 0);
  box.innerHTML = `<ul class="lines">${list
    .map(
      (i) =>
        `<li><a href="/p/${esc(i.item_id)}.html">${esc(i.item_name)}</a> <span>× ${i.quantity}</span> <span class="price">${euro(i.price * i.quantity)}</span>${
          editable
            ? ` <button type="button" class="remove" data-id="${esc(i.item_id)}">Remove<span class="visually-hidden"> ${esc(i.item_name)}</span></button>`
            : ''
        }</li>`,
    )
    .join('')}</ul><p class="total">Total <span class="price">${euro(total)}</span></p>`;
  for (const b of box.querySelectorAll<HTMLButtonElement>('.remove')) {
    b.addEventListener('click', () => {
      const lines = read();
      const id = b.dataset.id ?? '';
      const item = list.find((i) => i.item_id === id);
      delete lines[id];
      write(lines);
      if (item) ga4('remove_from_cart', [item]);
      void renderLines(true);
    });
  }
}

/** Wires the cart: the product page's buttons, the cart page, and the checkout page. */
export function startCart() {
  badge();
  const item = pageItem();
  if (item) ga4('view_item', [item]);
  document.querySelector('.buy')?.addEventListener('click', () => {
    if (!item) return;
    const lines = read();
    lines[item.item_id] = (lines[item.item_id] ?? 0) + 1;
    write(lines);
    ga4('add_to_cart', [item]);
  });
  document.querySelector('.checkout')?.addEventListener('click', () => {
    if (item) ga4('begin_checkout', [item]);
  });
  if (location.pathname === '/cart.html') void renderLines(true);
  if (location.pathname === '/checkout.html') {
    void renderLines(false);
    void items().then((list) => list.length && ga4('begin_checkout', list));
    const form = document.querySelector<HTMLFormElement>('.order');
    form?.addEventListener('submit', async (e) => {
      e.preventDefault();
      const list = await items();
      const done = document.querySelector('.order-done');
      if (list.length === 0) {
        if (done) done.textContent = 'Your cart is empty.';
        return;
      }
      ga4('purchase', list, {
        transaction_id: `demo-${Date.now()}`,
        value: list.reduce((s, i) => s + i.price * i.quantity, 0),
      });
      write({});
      recordOrder(list);
      ordered = list.map((i) => i.item_id);
      // The order is placed: no second submit of an empty cart under the thank-you (removed, as
      // the form's own display rule would win over `hidden`).
      form?.remove();
      if (done) done.textContent = 'Thank you! Your (pretend) order is placed.';
      void renderLines(false, list);
    });
  }
}
