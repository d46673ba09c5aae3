import { describe, expect, it } from 'vitest';
import { type NeighbourLists, neighbourScores, recencyWeights } from './recommend-scores.ts';

const LISTS: Record<string, NeighbourLists> = {
  a: {
    next: [
      { id: 'x', weight: 0.4 },
      { id: 'y', weight: 0.2 },
    ],
    together: [{ id: 'b', weight: 0.5 }],
  },
  b: { next: [{ id: 'y', weight: 0.4 }], together: [{ id: 'a', weight: 0.9 }] },
};

describe('neighbourScores', () => {
  it('sums recency-weighted neighbour weights per kind, best = 1, sources excluded', () => {
    const s = neighbourScores(
      [
        { id: 'a', weight: 1 },
        { id: 'b', weight: 0.5 },
        { id: 'unknown', weight: 1 },
      ],
      (id) => LISTS[id],
      { next: 1, together: 0.5 },
    );
    // x: 1*0.4 = 0.4; y: 1*0.2 + 0.5*0.4 = 0.4; b and a are sources.
    expect([...s]).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
    const onlyTogether = neighbourScores([{ id: 'a', weight: 1 }], (id) => LISTS[id], { next: 0, together: 1 });
    expect([...onlyTogether]).toEqual([['b', 1]]);
    expect(neighbourScores([], (id) => LISTS[id], { next: 1, together: 1 }).size).toBe(0);
  });

  it('counts the sources as candidates too when asked (a list that must not tell them apart)', () => {
    const sources = [
      { id: 'a', weight: 1 },
      { id: 'b', weight: 0.5 },
    ];
    const s = neighbourScores(sources, (id) => LISTS[id], { next: 1, together: 1 }, true);
    // b: 1*0.5 (a's together); a: 0.5*0.9 (b's together); x 0.4; y 0.2 + 0.5*0.4 = 0.4; best b.
    expect(s.get('b')).toBe(1);
    expect(s.get('a')).toBeCloseTo(0.9);
    expect(s.get('x')).toBeCloseTo(0.8);
  });

  it('gives the latest item weight 1 and older ones decay^k', () => {
    expect(recencyWeights(3, 0.5)).toEqual([1, 0.5, 0.25]);
    expect(recencyWeights(-1, 0.5)).toEqual([]);
  });
});
