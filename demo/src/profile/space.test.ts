import { describe, expect, it } from 'vitest';
import { closestViewed } from './space.ts';

const v = (...x: number[]) => Float32Array.from(x);
const space = {
  items: new Map([
    ['grinder', v(1, 0, 0)],
    ['kettle', v(0.8, 0.6, 0)],
    ['shoe', v(0, 0, 1)],
    ['sock', v(0.1, 0, 0.99)],
  ]),
};

describe('closestViewed', () => {
  it('names the closest viewed product, never the item itself', () => {
    expect(closestViewed(space, 'kettle', ['shoe', 'grinder', 'kettle'])).toBe('grinder');
  });

  it('names none when even the closest viewed product is another interest', () => {
    expect(closestViewed(space, 'sock', ['grinder', 'kettle'])).toBeUndefined();
    expect(closestViewed(space, 'sock', ['grinder', 'shoe'])).toBe('shoe');
  });
});
