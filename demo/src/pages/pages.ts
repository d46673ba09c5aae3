import { DEPARTMENT_LABELS, PRODUCTS, type ShopProduct, slug } from '../products.ts';
import { esc, euro, productCard, productImage, productJsonLd } from '../render.ts';

/** One generated page: its path, title, extra head markup and `<main>` element. */
export interface Page {
  file: string;
  title: string;
  head?: string;
  main: string;
}

const grid = (items: readonly ShopProduct[], label: string) =>
  `<ul class="grid" aria-label="${esc(label)}">${items.map((p) => productCard(p)).join('\n')}</ul>`;

/** The home page: "Recommended for you" (filled on the device), departments, and featured picks. */
export function homeMain(): string {
  // Two per department, so a new shopper sees the breadth of the shop.
  const featured = DEPARTMENT_LABELS.flatMap((l) => PRODUCTS.filter((p) => p.department === l).slice(0, 2));
  const tiles = DEPARTMENT_LABELS.map((l) => `<li><a class="tile" href="/c/${slug(l)}.html">${esc(l)}</a></li>`).join(
    '',
  );
  return `<main id="main" class="home">
  <section class="hero"><h1>Gear for everything you love doing</h1><p>Running, hiking, cooking, coffee and more: ${PRODUCTS.length} products, recommendations made from what you browse, computed on your device.</p></section>
  <section id="search-results" class="search-results" data-surface="search-results" hidden aria-labelledby="search-title"><h2 id="search-title">Search results</h2><ul class="grid"></ul></section>
  <section class="recs" data-surface="for-you-home" aria-labelledby="recs-title" hidden>
    <div class="recs-head">
      <h2 id="recs-title">Recommended for you</h2>
      <fieldset class="mode"><legend>Ranking</legend>
        <label><input type="radio" name="rec-mode" value="for-you" checked> For you, on device</label>
        <label><input type="radio" name="rec-mode" value="session"> This session</label>
        <label><input type="radio" name="rec-mode" value="device"> Long-term, on device</label>
        <label><input type="radio" name="rec-mode" value="server"> Shop's server</label>
      </fieldset>
    </div>
    <p class="recs-status" role="status">Browse a few products and recommendations appear here.</p>
    <ul class="grid recs-grid" aria-label="Recommended products"></ul>
  </section>
  <section aria-labelledby="featured-title"><h2 id="featured-title">Featured</h2>${grid(featured, 'Featured products')}</section>
  <section aria-labelledby="dept-title"><h2 id="dept-title">Shop by department</h2><ul class="tiles">${tiles}</ul></section>
</main>`;
}

export function categoryPages(): Page[] {
  return DEPARTMENT_LABELS.map((label) => {
    const items = PRODUCTS.filter((p) => p.department === label);
    return {
      file: `c/${slug(label)}.html`,
      title: label,
      // "For you in <department>": filled on the device (surfaces.ts), hidden until it has something.
      main: `<main id="main"><p class="crumbs"><a href="/">Home</a> › ${esc(label)}</p><h1>${esc(label)}</h1>
  <section class="surface" data-surface="for-you-department" data-department="${esc(label)}" aria-labelledby="dept-for-you-title" hidden><h2 id="dept-for-you-title">For you in ${esc(label)}</h2><ul class="grid" aria-label="For you in ${esc(label)}"></ul></section>
  <p class="count">${items.length} products</p>${grid(items, label)}</main>`,
    };
  });
}

export function productPages(): Page[] {
  return PRODUCTS.map((p) => {
    const related = PRODUCTS.filter((o) => o.department === p.department && o.id !== p.id).slice(0, 4);
    return {
      file: `p/${p.id}.html`,
      title: p.title,
      head: productJsonLd(p),
      main: `<main id="main" class="product">
  <p class="crumbs"><a href="/">Home</a> › <a href="/c/${slug(p.department)}.html">${esc(p.department)}</a> › ${esc(p.category.split(' > ').at(-1) ?? '')}</p>
  <div class="product-body">
    ${productImage(p)}
    <div>
      <h1>${esc(p.title)}</h1>
      <p class="brand">by ${esc(p.brand)}</p>
      <p>${esc(p.description)}</p>
      <p class="price big">${euro(p.price)}</p>
      <p class="actions">
        <button type="button" class="buy" data-portrait-action="add_to_cart" data-portrait-quantity="1">Add to cart</button>
        <button type="button" class="checkout">Checkout</button>
      </p>
    </div>
  </div>
  <section class="surface" data-surface="related" data-source="static" aria-labelledby="related-title"><h2 id="related-title">Related</h2><ul class="grid" aria-label="Related products">${related.map((o) => productCard(o, `Also in ${p.department}`)).join('\n')}</ul></section>
  <section class="surface" data-surface="bought-together" aria-labelledby="together-title" hidden><h2 id="together-title">Often bought together</h2><ul class="grid" aria-label="Often bought together"></ul></section>
</main>`,
    };
  });
}

export function cartPage(): Page {
  return {
    file: 'cart.html',
    title: 'Cart',
    main: `<main id="main" class="cart"><h1>Your cart</h1><div class="cart-lines" role="region" aria-label="Cart contents"><p>Your cart is empty.</p></div><p class="actions"><a class="button" href="/checkout.html">Go to checkout</a></p>
  <section class="surface" data-surface="cross-sell" aria-labelledby="cross-sell-title" hidden><h2 id="cross-sell-title">Goes well with your cart</h2><ul class="grid" aria-label="Goes well with your cart"></ul></section></main>`,
  };
}

export function checkoutPage(): Page {
  return {
    file: 'checkout.html',
    title: 'Checkout',
    main: `<main id="main" class="checkout"><h1>Checkout</h1><p>This is a demo: no payment is taken and nothing is shipped.</p>
  <div class="cart-lines" role="region" aria-label="Order summary"></div>
  <form class="order" novalidate>
    <label>Name <input name="name" autocomplete="name" required></label>
    <label>Postcode <input name="postcode" autocomplete="postal-code" required></label>
    <button type="submit" class="place-order">Place order</button>
  </form>
  <p class="order-done" role="status"></p>
  <section class="surface" data-surface="after-order" aria-labelledby="after-order-title" hidden><h2 id="after-order-title">Goes well with your order</h2><ul class="grid" aria-label="Goes well with your order"></ul></section></main>`,
  };
}
