import { describe, expect, it } from 'vitest';
import {
  createProfile,
  DEFAULT_PROFILE_PARAMS,
  type Interest,
  type ProfileParams,
  type ProfileState,
} from './profile.ts';
import { replayProfile, updateProfile } from './profile-update.ts';
import { axis, copy, DIM, event, fold, l2, near, rng, unitVector } from './test-helpers.ts';
import { cosine, norm } from './vector.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('createProfile', () => {
  it('is empty plain data of the given dimension', () => {
    const p = createProfile('m', 4);
    expect(copy(p)).toEqual({
      version: 1,
      modelId: 'm',
      dim: 4,
      long: [0, 0, 0, 0],
      longWeight: 0,
      short: [0, 0, 0, 0],
      shortWeight: 0,
      interests: [],
      count: 0,
      updatedAt: 0,
      firstAt: 0,
    });
  });
});

describe('updateProfile', () => {
  it('takes the first (normalised) embedding as long, short and the first interest', () => {
    const p = updateProfile(createProfile('m', 2), Float32Array.from([3, 4]), event('impression', 500));
    expect(p && Array.from(p.long)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(p && Array.from(p.short)).toEqual(p && Array.from(p.long));
    expect(p?.interests).toHaveLength(1);
    expect(p?.interests[0]?.count).toBe(1);
    expect(p).toMatchObject({ count: 1, firstAt: 500, updatedAt: 500 });
  });

  it.each([
    ['a wrong dimension', new Float32Array(DIM + 1).fill(0.1)],
    ['NaN', Float32Array.from({ length: DIM }, (_, i) => (i === 3 ? Number.NaN : 1))],
    ['Infinity', Float32Array.from({ length: DIM }, (_, i) => (i === 0 ? Number.POSITIVE_INFINITY : 1))],
    ['a zero vector', new Float32Array(DIM)],
  ])('refuses %s and leaves the profile unchanged', (_, bad) => {
    const p = fold(createProfile('m', DIM), [axis(0), axis(1)]);
    const before = copy(p);
    expect(updateProfile(p, bad, event('purchase', 9_999))).toBeUndefined();
    expect(copy(p)).toEqual(before);
  });

  it('never mutates its input state', () => {
    const rand = rng(3);
    let p = fold(createProfile('m', DIM), [axis(0), axis(1), axis(2)]);
    for (let i = 0; i < 50; i++) {
      const before = copy(p);
      const next = updateProfile(
        p,
        near(axis(i % 5), 0.5, rand),
        event(i % 7 ? 'view' : 'remove_from_cart', 10_000 + i),
      );
      expect(copy(p)).toEqual(before);
      p = next ?? p;
    }
  });

  it('converges the long-term vector to the mean of a stream (exactly, while the profile is young)', () => {
    const rand = rng(7);
    const base = unitVector(Array.from({ length: DIM }, () => rand() - 0.5));
    const stream = Array.from({ length: 40 }, () => near(base, 0.05, rand));
    const p = fold(createProfile('m', DIM), stream);
    const mean = new Float32Array(DIM);
    for (const v of stream)
      for (let i = 0; i < DIM; i++) mean[i] = (mean[i] as number) + (v[i] as number) / stream.length;
    expect(l2(p.long, mean)).toBeLessThan(1e-4);
  });

  it('keeps tracking the mean direction of a long noisy stream once the step has reached its floor', () => {
    const rand = rng(8);
    const base = axis(2);
    const p = fold(
      createProfile('m', DIM),
      Array.from({ length: 2_000 }, () => near(base, 0.3, rand)),
    );
    expect(cosine(p.long, base)).toBeGreaterThan(0.98);
    expect(cosine(p.short, base)).toBeGreaterThan(0.8);
  });

  it('bounds every step: a purchase moves a warm profile a little, never onto the item', () => {
    const warm = fold(createProfile('m', DIM), Array(200).fill(axis(0)));
    const next = updateProfile(warm, axis(1), event('purchase', 999_999)) as ProfileState;
    const moved = l2(next.long, warm.long) / l2(axis(1), warm.long);
    // Compounded floor: 1 - (1 - 0.02)^5 ~ 0.096, raised a little by the behaviour shift.
    expect(moved).toBeGreaterThan(0.09);
    expect(moved).toBeLessThan(0.5);
    expect(l2(next.short, axis(1))).toBeGreaterThan(0.05);
  });

  it('pushes away on remove_from_cart, by at most maxNegativeStep, and keeps the norm <= 1', () => {
    const rand = rng(4);
    const p = fold(
      createProfile('m', DIM),
      Array.from({ length: 20 }, () => near(axis(0), 0.3, rand)),
    );
    const item = near(axis(0), 0.3, rand);
    const next = updateProfile(p, item, event('remove_from_cart', 1e6)) as ProfileState;
    expect(cosine(next.long, item)).toBeLessThan(cosine(p.long, item));
    expect(l2(next.long, p.long)).toBeLessThanOrEqual(DEFAULT_PROFILE_PARAMS.maxNegativeStep * l2(item, p.long) + 1e-6);
    expect(l2(next.short, p.short)).toBeLessThanOrEqual(
      DEFAULT_PROFILE_PARAMS.maxNegativeStep * l2(item, p.short) + 1e-6,
    );
    expect(norm(next.long)).toBeLessThanOrEqual(1 + 1e-6);
    expect(next.count).toBe(21);
    expect(next.interests.length).toBe(p.interests.length);
  });

  it('counts a negative first event but does not move an empty profile', () => {
    const p = updateProfile(createProfile('m', DIM), axis(0), event('remove_from_cart', 5)) as ProfileState;
    expect(p.count).toBe(1);
    expect(norm(p.long)).toBe(0);
    expect(norm(p.short)).toBe(0);
    expect(p.interests).toEqual([]);
  });

  it('decays the accumulated weight over a gap between sessions, so new behaviour weighs more', () => {
    const p = fold(createProfile('m', DIM), Array(30).fill(axis(0)));
    const soon = updateProfile(p, axis(1), event('view', p.updatedAt + 1_000)) as ProfileState;
    const later = updateProfile(p, axis(1), event('view', p.updatedAt + 30 * DAY)) as ProfileState;
    expect(cosine(later.long, axis(1))).toBeGreaterThan(cosine(soon.long, axis(1)));
    // 30 days at a 7-day half-life: the long-term weight shrinks ~20x before the new event adds its own.
    expect(later.longWeight).toBeCloseTo(p.longWeight * 0.5 ** (30 / 7) + 0.5, 4);
    // After a 30-minute half-life the short-term vector nearly restarts.
    expect(cosine(later.short, axis(1))).toBeGreaterThan(0.99);
  });

  it('treats a negative gap (clock skew) as no gap: no growth, no negative ages', () => {
    const p = fold(createProfile('m', DIM), Array(10).fill(axis(0)), 'view', 1.7e12);
    const skewed = updateProfile(p, axis(0), event('view', p.updatedAt - 5 * DAY)) as ProfileState;
    expect(skewed.longWeight).toBeCloseTo(p.longWeight + 0.5, 6);
    expect(skewed.updatedAt).toBe(p.updatedAt);
    expect(skewed.firstAt).toBe(p.updatedAt - 5 * DAY);
    for (const c of skewed.interests) expect(c.updatedAt).toBeLessThanOrEqual(skewed.updatedAt);
  });

  it('turns the short-term vector faster than the long-term one after a topic switch', () => {
    const rand = rng(5);
    const sports = axis(0);
    const kitchen = axis(1);
    let p = fold(
      createProfile('m', DIM),
      Array.from({ length: 30 }, () => near(sports, 0.2, rand)),
    );
    p = fold(
      p,
      Array.from({ length: 5 }, () => near(kitchen, 0.2, rand)),
      'view',
      100_000,
    );
    expect(cosine(p.short, kitchen)).toBeGreaterThan(cosine(p.short, sports));
    expect(cosine(p.long, kitchen)).toBeLessThan(cosine(p.long, sports));
    expect(cosine(p.short, kitchen)).toBeGreaterThan(cosine(p.long, kitchen) + 0.3);
  });

  it('raises the long-term floor when behaviour shifts', () => {
    const fixed: ProfileParams = { ...DEFAULT_PROFILE_PARAMS, shiftFloor: DEFAULT_PROFILE_PARAMS.longFloor };
    const run = (params: ProfileParams) => {
      let p = createProfile('m', DIM);
      for (let i = 0; i < 300; i++) p = updateProfile(p, axis(0), event('view', 1_000 + i), params) as ProfileState;
      for (let i = 0; i < 10; i++) p = updateProfile(p, axis(1), event('view', 5_000 + i), params) as ProfileState;
      return cosine(p.long, axis(1));
    };
    expect(run(DEFAULT_PROFILE_PARAMS)).toBeGreaterThan(run(fixed) + 0.05);
  });
  it('leaves the long-term floor alone while browsing stays within the same interests', () => {
    const fixed: ProfileParams = { ...DEFAULT_PROFILE_PARAMS, shiftFloor: DEFAULT_PROFILE_PARAMS.longFloor };
    const rand = rng(12);
    const items = Array.from({ length: 300 }, (_, i) => ({
      event: event('view', 1_000 + i),
      vector: near(axis(0), 0.1, rand),
    }));
    expect(copy(replayProfile('m', DIM, items))).toEqual(copy(replayProfile('m', DIM, items, fixed)));
  });
});

describe('interest centroids', () => {
  it('creates one centroid per distinct topic and assigns similar items to it', () => {
    const rand = rng(9);
    const topics = [axis(0), axis(1), axis(2)];
    const vectors = Array.from({ length: 30 }, (_, i) => near(topics[i % 3] as Float32Array, 0.2, rand));
    const p = fold(createProfile('m', DIM), vectors);
    expect(p.interests).toHaveLength(3);
    for (const c of p.interests) expect(c.count).toBe(10);
    for (const t of topics) expect(Math.max(...p.interests.map((c) => cosine(c.vector, t)))).toBeGreaterThan(0.95);
  });

  it('never keeps more than K: a new distinct interest merges the two closest centroids first', () => {
    const params: ProfileParams = { ...DEFAULT_PROFILE_PARAMS, maxInterests: 2 };
    const a = unitVector([1, 0, 0, 0]);
    const a2 = unitVector([0.45, 0.89, 0, 0]); // cos(a, a2) ~ 0.45: distinct, but the closest pair
    const c = unitVector([0, 0, 0, 1]);
    let p = createProfile('m', 4);
    for (const [i, v] of [a, a, a2, c].entries()) p = updateProfile(p, v, event('view', 1 + i), params) as ProfileState;
    expect(p.interests).toHaveLength(2);
    const merged = p.interests.find((x) => x.count === 3) as Interest;
    expect(cosine(merged.vector, a)).toBeGreaterThan(cosine(merged.vector, a2));
    expect(p.interests.find((x) => x.count === 1)?.vector).toEqual(c);
  });

  it('merges two centroids that drift together', () => {
    const a = unitVector([1, 0, 0, 0]);
    const b = unitVector([0.4, 0.92, 0, 0]); // cos ~ 0.4: two interests at first
    let p = fold(createProfile('m', 4), [a, b]);
    expect(p.interests).toHaveLength(2);
    // The shopper's taste rotates from a toward b; the centroid following it meets b's.
    const rotating = Array.from({ length: 40 }, (_, i) => {
      const t = (i * 1.5 * Math.PI) / 180;
      return unitVector([Math.cos(t), Math.sin(t), 0, 0]);
    });
    p = fold(p, rotating, 'view', 10_000);
    expect(p.interests).toHaveLength(1);
    expect(p.interests[0]?.count).toBe(42);
  });

  it('lets recent interests outweigh old ones', () => {
    const p = fold(fold(createProfile('m', DIM), Array(20).fill(axis(0))), Array(20).fill(axis(1)), 'view', 100_000);
    const [first, second] = p.interests;
    expect(p.interests).toHaveLength(2);
    expect(second?.weight).toBeGreaterThan((first?.weight ?? 0) * 1.5);
  });
});

describe('replayProfile', () => {
  it('folds in timestamp order whatever the input order, and skips unusable embeddings', () => {
    const rand = rng(11);
    const items = Array.from({ length: 30 }, (_, i) => ({
      event: event(i % 4 ? 'view' : 'add_to_cart', 1_000 + i * 60_000),
      vector: near(axis(i % 3), 0.3, rand),
    }));
    const shuffled = [...items].reverse();
    shuffled.splice(5, 0, { event: event('view', 1_500), vector: new Float32Array(DIM) });
    const sequential = items.reduce(
      (s, x) => updateProfile(s, x.vector, x.event) as ProfileState,
      createProfile('m', DIM),
    );
    expect(copy(replayProfile('m', DIM, shuffled))).toEqual(copy(sequential));
    expect(replayProfile('m', DIM, shuffled).count).toBe(30);
  });
});
