import { describe, expect, it } from 'vitest';
import { cosine, emptyProfile, eventWeight, foldEmbedding } from './profile';

const v = (...xs: number[]) => Float32Array.from(xs);

describe('foldEmbedding', () => {
  it('takes the first embedding as the profile, then moves eta*w of the way', () => {
    const p0 = emptyProfile('m', 2);
    const p1 = foldEmbedding(p0, v(1, 0), 0.1, 1, 10);
    expect(Array.from(p1?.vector ?? [])).toEqual([1, 0]);
    const p2 = foldEmbedding(p1 ?? p0, v(0, 1), 0.1, 2, 20);
    expect(p2?.count).toBe(2);
    expect(p2?.vector[0]).toBeCloseTo(0.8);
    expect(p2?.vector[1]).toBeCloseTo(0.2);
  });

  it('refuses NaN and wrong-size embeddings instead of poisoning the profile', () => {
    const p = emptyProfile('m', 2);
    expect(foldEmbedding(p, v(Number.NaN, 0), 0.1, 1, 1)).toBeUndefined();
    expect(foldEmbedding(p, v(1, 0, 0), 0.1, 1, 1)).toBeUndefined();
  });

  it('clamps the step so a huge weight cannot overshoot the item', () => {
    const p1 = foldEmbedding(emptyProfile('m', 1), v(0), 0.1, 1, 1);
    const p2 = foldEmbedding(p1 ?? emptyProfile('m', 1), v(1), 5, 100, 2);
    expect(p2?.vector[0]).toBe(1);
  });

  it('ignores a negative first event', () => {
    const p = emptyProfile('m', 1);
    expect(foldEmbedding(p, v(1), 0.1, -0.5, 1)).toBe(p);
  });
});

describe('eventWeight', () => {
  it('weights purchases above views and grows views with dwell up to 2x', () => {
    const view = { id: 'a', type: 'view', ts: 1, product: { id: 'p' } } as const;
    expect(eventWeight({ ...view, type: 'purchase' })).toBeGreaterThan(eventWeight(view));
    expect(eventWeight({ ...view, dwellMs: 20_000 })).toBeGreaterThan(eventWeight(view));
    expect(eventWeight({ ...view, dwellMs: 10 * 60_000 })).toBe(2);
  });
});

describe('cosine', () => {
  it('is 1 for parallel, 0 for orthogonal or empty', () => {
    expect(cosine(v(1, 2), v(2, 4))).toBeCloseTo(1);
    expect(cosine(v(1, 0), v(0, 1))).toBe(0);
    expect(cosine(v(0, 0), v(1, 1))).toBe(0);
  });
});
