import { describe, expect, it } from 'vitest';
import { compactScore, compactVectors, DEFAULT_LAYOUT, rankItems } from './compact.ts';
import { seededRandom } from './hash.ts';
import { createProfile } from './profile.ts';
import { randomProjectionBasis } from './reduce.ts';

const rand = seededRandom(11);
const vec = (d: number) => Float32Array.from({ length: d }, () => rand() - 0.5);

describe('compact vectors and ranking', () => {
  it('cuts long, short and the heaviest centroid to the layout', () => {
    const p = {
      ...createProfile('m', 32),
      long: vec(32),
      short: vec(32),
      interests: [
        { vector: vec(32), weight: 1, count: 1, updatedAt: 0 },
        { vector: vec(32), weight: 3, count: 1, updatedAt: 0 },
      ],
    };
    const basis = randomProjectionBasis(32, 16);
    const out = compactVectors(p, basis, { ...DEFAULT_LAYOUT, longDim: 16 });
    expect(out.map((v) => v.length)).toEqual([16, 8, 8]);
    expect(out[0]?.slice(0, 8)).not.toEqual(out[1]);
    expect(compactVectors(p, basis, { longDim: 16, shortDim: 0, centroids: 2, centroidDim: 8 }).length).toBe(1);
  });

  it('ranks exactly as compactScore orders, top k only', () => {
    const profile = [vec(64), vec(8), vec(8)];
    const items = Array.from({ length: 300 }, (_, i) => ({ id: `i${i}`, vector: vec(64) }));
    const expected = items
      .map((it) => ({ id: it.id, s: compactScore(profile, it.vector) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 7);
    const got = rankItems(profile, items, 7);
    expect(got.map((g) => g.id)).toEqual(expected.map((e) => e.id));
    for (const [i, g] of got.entries()) expect(g.score).toBeCloseTo(expected[i]?.s ?? 0, 5);
  });
});
