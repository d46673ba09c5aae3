import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECOMMENDER,
  forYouWeights,
  type NeighbourLists,
  neighbourScores,
  REPLENISHMENT_FOR_YOU,
  recencyWeights,
} from './recommend-scores.ts';

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

describe('forYouWeights', () => {
  it('moves from the defaults to the replenishment point across the repeat-share band', () => {
    const d = DEFAULT_RECOMMENDER.forYou;
    for (const share of [undefined, Number.NaN, 0, 0.05, 0.1]) expect(forYouWeights(share)).toEqual({ ...d });
    for (const share of [0.25, 0.6, 1]) expect(forYouWeights(share)).toEqual({ ...d, ...REPLENISHMENT_FOR_YOU });
    const mid = forYouWeights(0.17);
    expect(mid.recentPopularity).toBeCloseTo((d.recentPopularity + REPLENISHMENT_FOR_YOU.recentPopularity) / 2, 12);
    expect(mid.profileMulti).toBeCloseTo((d.profileMulti + REPLENISHMENT_FOR_YOU.profileMulti) / 2, 12);
    // Only the blend's terms move: the privacy rule and the neighbour lists stay the defaults.
    expect(mid.excludeSeen).toBe(true);
    expect(mid.neighbours).toBe(d.neighbours);
    expect(mid.repeat).toBe(d.repeat);
  });
});
