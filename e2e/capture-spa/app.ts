import { createPortrait } from '../../packages/capture/src/index.ts';

// A tiny single-page shop: routes change with history.pushState and back/forward, the way SPA
// routers do it, and the ESM package is installed with createPortrait.
const PRODUCTS = {
  'ski-1': { title: 'Touring skis', price: 540 },
  'ski-2': { title: 'Ski skins', price: 120 },
} as const;
type Id = keyof typeof PRODUCTS;
const base = '/capture-spa/';
const app = document.getElementById('app') as HTMLElement;
const w = window as unknown as { renders: number; portrait: ReturnType<typeof createPortrait> };
w.renders = 0;

function render() {
  w.renders++;
  const id = location.pathname.slice(`${base}p/`.length) as Id;
  const p = PRODUCTS[id];
  app.innerHTML = p
    ? `<main data-portrait-page="product" data-portrait-product="${id}" data-portrait-title="${p.title}" data-portrait-price="${p.price}">
         <h1>${p.title}</h1><a href="${base}p/${id === 'ski-1' ? 'ski-2' : 'ski-1'}" id="next">Next</a></main>`
    : `<ul>${Object.entries(PRODUCTS)
        .map(
          ([k, v]) =>
            `<li data-portrait-product="${k}" data-portrait-title="${v.title}"><a href="${base}p/${k}">${v.title}</a></li>`,
        )
        .join('')}</ul>`;
}

document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest('a');
  if (!a) return;
  e.preventDefault();
  history.pushState({ from: location.pathname }, '', a.getAttribute('href'));
  render();
});
addEventListener('popstate', render);
render();
w.portrait = createPortrait({ assetBase: '/portrait/' });
