import { describe, expect, it } from 'vitest';
import { createProfile } from './profile.ts';
import { segmentMembership } from './segments.ts';
import { axis, DIM } from './test-helpers.ts';

describe('segment membership (on device)', () => {
  it('names the segments near the long-term vector or a weighted centroid, best first', () => {
    const p = {
      ...createProfile('m', DIM),
      count: 5,
      long: axis(0),
      interests: [
        { vector: axis(1), weight: 1, count: 3, updatedAt: 0 },
        { vector: axis(2), weight: 0, count: 1, updatedAt: 0 },
      ],
    };
    const segments = [
      { id: 0, text: 'trail runners', vector: axis(0) },
      { id: 1, text: 'home baristas', vector: axis(1) },
      { id: 2, text: 'new parents', vector: axis(2) },
      { id: 3, text: 'gamers', vector: axis(5) },
    ];
    expect(segmentMembership(p, segments).map((m) => m.id)).toEqual([0, 1]);
    expect(segmentMembership({ ...p, count: 0 }, segments)).toEqual([]);
  });
});
