// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { readClick, readSubmit, urlQuery } from './dom-events.ts';

const capture = (target: Element, type: string) => {
  let out: ReturnType<typeof readClick> | ReturnType<typeof readSubmit>;
  document.addEventListener(type, (e) => (out = type === 'submit' ? readSubmit(e) : readClick(e)), {
    once: true,
    capture: true,
  });
  target.dispatchEvent(new Event(type, { bubbles: true, composed: true, cancelable: true }));
  return out;
};

describe('readClick', () => {
  it('reads an add-to-cart button with quantity', () => {
    document.body.innerHTML =
      '<div data-portrait-product="P1"><button data-portrait-action="add_to_cart" data-portrait-quantity="2"><span>Add</span></button></div>';
    const c = capture(document.querySelector('span') as Element, 'click');
    expect(c && 'el' in c && [c.type, c.quantity, c.el.tagName]).toEqual(['add_to_cart', 2, 'BUTTON']);
  });

  it('reads a product link in a card, not a plain link or the page root', () => {
    document.body.innerHTML =
      '<ul><li data-portrait-product="P2"><a href="/p2"><b>x</b></a></li></ul><main data-portrait-page="product" data-portrait-product="P3"><a href="/home">h</a></main>';
    expect(capture(document.querySelector('b') as Element, 'click')).toMatchObject({ type: 'click' });
    expect(capture(document.querySelector('main a') as Element, 'click')).toBeUndefined();
  });

  it('ignores unknown actions', () => {
    document.body.innerHTML = '<div data-portrait-product="P"><button data-portrait-action="explode">x</button></div>';
    expect(capture(document.querySelector('button') as Element, 'click')).toBeUndefined();
  });

  it('sees through open shadow roots', () => {
    document.body.innerHTML = '<div data-portrait-product="S1" id="host"></div>';
    const root = (document.getElementById('host') as Element).attachShadow({ mode: 'open' });
    root.innerHTML = '<button data-portrait-action="add_to_cart">Add</button>';
    const c = capture(root.querySelector('button') as Element, 'click');
    expect(c && 'el' in c && c.type).toBe('add_to_cart');
  });
});

describe('readSubmit', () => {
  it('reads a search form query, and whether the results URL will carry it', () => {
    document.body.innerHTML = '<form><input type="search" value="  red tent "></form>';
    expect(capture(document.querySelector('form') as Element, 'submit')).toEqual({ query: 'red tent', viaUrl: false });
    document.body.innerHTML = '<form action="/search"><input type="search" name="q" value="tent"></form>';
    expect(capture(document.querySelector('form') as Element, 'submit')).toEqual({ query: 'tent', viaUrl: true });
    document.body.innerHTML = '<form method="post"><input name="q" value="tent"></form>';
    expect(capture(document.querySelector('form') as Element, 'submit')).toEqual({ query: 'tent', viaUrl: false });
  });

  it('reads the site-search query from a results URL', () => {
    expect(urlQuery('?page=2&q=+red%20tent+')).toBe('red tent');
    expect(urlQuery('?keyword=stove')).toBe('stove');
    expect(urlQuery('?color=red')).toBeUndefined();
  });

  it('ignores other forms', () => {
    document.body.innerHTML = '<form><input name="email" value="a@b.c"></form>';
    expect(capture(document.querySelector('form') as Element, 'submit')).toBeUndefined();
  });
});
