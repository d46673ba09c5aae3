// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { attributeConfig } from './attributes.ts';

const tag = (attrs: Record<string, string>) => {
  const el = document.createElement('script');
  el.src = 'https://shop.example/portrait/portrait.js';
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(`data-${k}`, v);
  return el;
};

describe('attributeConfig: data-dp-*', () => {
  it('no dp attribute: no dp key at all (DP stays off)', () => {
    expect(attributeConfig(tag({ collector: 'https://c.example' }))).not.toHaveProperty('dp');
  });

  it('epsilon alone, or with delta and releases, as numbers', () => {
    expect(attributeConfig(tag({ 'dp-epsilon': '1.5' })).dp).toEqual({ epsilon: 1.5 });
    expect(attributeConfig(tag({ 'dp-epsilon': '2', 'dp-delta': '1e-7', 'dp-releases': '4' })).dp).toEqual({
      epsilon: 2,
      delta: 1e-7,
      releases: 4,
    });
  });

  it('a value that is not a number is passed on as NaN (the worker refuses it), never dropped', () => {
    expect(attributeConfig(tag({ 'dp-epsilon': 'strong' })).dp?.epsilon).toBeNaN();
    expect(attributeConfig(tag({ 'dp-releases': '' })).dp).toEqual({ releases: 0 });
  });
});
