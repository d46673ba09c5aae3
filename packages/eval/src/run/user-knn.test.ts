import { describe, expect, it } from 'vitest';
import { CustomerIndex } from './user-knn.ts';

describe('customers like you (user-kNN reference)', () => {
  it("scores items by the summed cosine of the k nearest customers who bought them, never the customer's own orders", () => {
    const idx = new CustomerIndex();
    idx.add('me', ['a', 'b', 'mine-only']);
    idx.add('close', ['a', 'b', 'x']);
    idx.add('far', ['a', 'y', 'z', 'w']);
    idx.add('stranger', ['q']);
    const s = idx.scores(['a', 'b'], 'me', 10);
    // close: 2 / sqrt(2 * 3) = 0.816; far: 1 / sqrt(2 * 4) = 0.354.
    expect(s.has('mine-only')).toBe(false);
    expect(s.has('q')).toBe(false);
    // a is bought by both neighbours: the best score, 0.816 + 0.354; x and b by the close one only.
    const best = 2 / Math.sqrt(6) + 1 / Math.sqrt(8);
    expect(s.get('a')).toBe(1);
    expect(s.get('x')).toBeCloseTo(2 / Math.sqrt(6) / best, 10);
    expect(s.get('b')).toBe(s.get('x'));
    expect(s.get('y')).toBeCloseTo(1 / Math.sqrt(8) / best, 10);
    // k = 1 keeps the closest customer only.
    expect([...idx.scores(['a', 'b'], 'me', 1).keys()].sort()).toEqual(['a', 'b', 'x']);
  });

  it('counts a repeated item once and is empty without any overlap', () => {
    const idx = new CustomerIndex();
    idx.add('u', ['a']);
    idx.add('u', ['a', 'b']);
    idx.add('v', ['a', 'b']);
    // u and v hold the same set {a, b}: cosine 1, not inflated by u's second a.
    expect(idx.scores(['a', 'b'], 'u', 5)).toEqual(
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
    );
    expect(idx.scores(['zzz'], undefined, 5).size).toBe(0);
  });
});
