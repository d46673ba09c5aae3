import type { EventType } from '@portrait/core';

/** What a click on the page means for Portrait. */
export type DomCapture = { type: EventType; el: Element; quantity?: number } | undefined;

const ACTIONS = ['add_to_cart', 'remove_from_cart', 'begin_checkout', 'purchase', 'click', 'like', 'share'];
const SEARCH_INPUT = '[data-portrait-search],[type=search],[name=q],[name=query],[name=search],[name=s]';

/**
 * Reads a click: an element with `data-portrait-action` (add-to-cart and friends) or a link
 * inside a product card. composedPath() sees into open shadow roots, where closest() stops.
 * Returns the element that carries (or sits inside) the product.
 */
export function readClick(e: Event): DomCapture {
  let link: Element | undefined;
  for (const n of e.composedPath().slice(0, 30)) {
    if (!(n instanceof Element)) continue;
    const action = n.getAttribute('data-portrait-action');
    if (action && ACTIONS.includes(action)) {
      const quantity = Number(n.getAttribute('data-portrait-quantity'));
      return { type: action as EventType, el: n, quantity: quantity > 0 ? quantity : undefined };
    }
    if (n.tagName === 'A') link ??= n;
    if (link && n.hasAttribute('data-portrait-product') && !n.hasAttribute('data-portrait-page')) {
      return { type: 'click', el: n };
    }
  }
  return undefined;
}

// The parameters shops put a site search in (GA4's site-search defaults).
const URL_PARAMS = ['q', 's', 'search', 'query', 'keyword'];

/** The site-search query in a page URL (`/search?q=…`), if any. */
export function urlQuery(search: string): string | undefined {
  const p = new URLSearchParams(search);
  for (const k of URL_PARAMS) {
    const v = p.get(k)?.trim();
    if (v) return v.slice(0, 300);
  }
  return undefined;
}

/**
 * Reads a form submit: a search form (data-portrait-search or a search-like input). `viaUrl`:
 * a GET form whose input name is a URL search parameter lands on a results URL carrying the
 * query, where the results page reads it.
 */
export function readSubmit(e: Event): { query: string; viaUrl: boolean } | undefined {
  const form = e.composedPath()[0];
  if (!(form instanceof HTMLFormElement)) return undefined;
  const input = form.querySelector(SEARCH_INPUT) as HTMLInputElement | null;
  const query = input?.value?.trim();
  return query
    ? { query: query.slice(0, 300), viaUrl: form.method === 'get' && URL_PARAMS.includes(input?.name ?? '') }
    : undefined;
}

/** How far down the page the bottom of the viewport has reached, 0..1. */
export function scrollDepth(): number {
  const h = document.documentElement.scrollHeight;
  return h > 0 ? Math.min(1, (scrollY + innerHeight) / h) : 0;
}
