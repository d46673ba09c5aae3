import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type PortraitEvent, parseEvent } from './events.ts';
import { explain } from './explain.ts';
import { createProfile, DEFAULT_PROFILE_PARAMS, type ProfileParams, type ProfileState } from './profile.ts';
import { replayProfile, updateProfile } from './profile-update.ts';
import { cosine, isFiniteVector, norm } from './vector.ts';

const DIM = 6;
const EPS = 1e-4;

// Numbers an attacker or a broken page could send: NaN, +-Infinity, huge, negative, zero.
const wildNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1, 1e308, -1e308, 5e-324),
  fc.integer({ min: -10, max: 10 }),
);

// Plausible timestamps, with clock skew (backwards jumps) and long gaps, plus wild values.
const timestamp = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4e12 }) },
  { weight: 1, arbitrary: wildNumber },
);

/** Events as they might reach updateProfile without parseEvent: every type, wild optional numbers. */
const rawEvent = fc.record(
  {
    id: fc.string({ maxLength: 4 }),
    type: fc.constantFrom(...EVENT_TYPES),
    ts: timestamp,
    dwellMs: wildNumber,
    rating: wildNumber,
    quantity: wildNumber,
    scrollDepth: wildNumber,
    product: fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), price: wildNumber }),
  },
  { requiredKeys: ['id', 'type', 'ts'] },
) as fc.Arbitrary<PortraitEvent>;

const unitish = fc
  .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: DIM, maxLength: DIM })
  .filter((xs) => norm(xs) > 1e-3)
  .map((xs) => {
    const n = norm(xs);
    return Float32Array.from(xs, (x) => x / n);
  });

/** Mostly unit vectors (clustered, so centroids get assigned and merged), some garbage. */
const embedding = fc.oneof(
  { weight: 6, arbitrary: unitish },
  { weight: 1, arbitrary: fc.array(wildNumber, { minLength: DIM, maxLength: DIM }).map((xs) => Float32Array.from(xs)) },
  { weight: 1, arbitrary: fc.constant(new Float32Array(DIM)) },
  { weight: 1, arbitrary: fc.array(fc.double(), { maxLength: DIM * 2 }).map((xs) => Float32Array.from(xs)) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.double({ min: -1e30, max: 1e30, noNaN: true }), { minLength: DIM, maxLength: DIM })
      .map((xs) => Float32Array.from(xs)),
  },
);

const params: fc.Arbitrary<ProfileParams> = fc.record({
  ...Object.fromEntries(Object.entries(DEFAULT_PROFILE_PARAMS).map(([k, v]) => [k, fc.constant(v)])),
  maxInterests: fc.integer({ min: 1, max: 6 }),
  newInterestSimilarity: fc.double({ min: -0.5, max: 0.99, noNaN: true }),
  mergeSimilarity: fc.double({ min: 0.5, max: 1, noNaN: true }),
}) as fc.Arbitrary<ProfileParams>;

const stream = fc.array(fc.record({ event: rawEvent, vector: embedding }), { maxLength: 60 });

function checkInvariants(s: ProfileState, p: ProfileParams): void {
  const finite = (x: number) => Number.isFinite(x);
  expect(s.dim).toBe(DIM);
  for (const v of [s.long, s.short, ...s.interests.map((c) => c.vector)]) {
    expect(v.length).toBe(DIM);
    expect(isFiniteVector(v)).toBe(true);
    expect(norm(v)).toBeLessThanOrEqual(1 + EPS);
  }
  expect([s.longWeight, s.shortWeight, s.count, s.updatedAt, s.firstAt].every(finite)).toBe(true);
  expect(s.longWeight).toBeGreaterThanOrEqual(0);
  expect(s.shortWeight).toBeGreaterThanOrEqual(0);
  expect(s.interests.length).toBeLessThanOrEqual(p.maxInterests);
  for (const c of s.interests) {
    expect(finite(c.weight) && c.weight >= 0).toBe(true);
    expect(Number.isInteger(c.count) && c.count >= 1).toBe(true);
    expect(finite(c.updatedAt)).toBe(true);
  }
  // Centroids count positive events only; together they never exceed the events folded.
  expect(s.interests.reduce((n, c) => n + c.count, 0)).toBeLessThanOrEqual(s.count);
}

describe('updateProfile properties', () => {
  it('keeps the state finite and bounded, counts exactly the folded events, never mutates its input', () => {
    fc.assert(
      fc.property(stream, params, (items, p) => {
        let s = createProfile('m', DIM);
        let folded = 0;
        for (const { event, vector } of items) {
          const before = JSON.stringify({ ...s, long: [...s.long], short: [...s.short] });
          const next = updateProfile(s, vector, event, p);
          expect(JSON.stringify({ ...s, long: [...s.long], short: [...s.short] })).toBe(before);
          if (next) {
            folded++;
            expect(next.updatedAt).toBeGreaterThanOrEqual(s.updatedAt);
            s = next;
          }
          checkInvariants(s, p);
        }
        expect(s.count).toBe(folded);
      }),
      { numRuns: 300 },
    );
  });

  it('folds every unit embedding of a parsed event (the count is exactly the stream length)', () => {
    const parsed = fc.record({ event: rawEvent, vector: unitish }).map(({ event, vector }) => {
      const r = parseEvent({ ...event, ts: Number.isFinite(event.ts) && event.ts > 0 ? event.ts : 1, rating: 4 });
      return r.ok ? { event: r.event, vector } : undefined;
    });
    fc.assert(
      fc.property(fc.array(parsed, { maxLength: 60 }), (raw) => {
        const items = raw.filter((x): x is NonNullable<typeof x> => x !== undefined);
        const s = replayProfile('m', DIM, items);
        expect(s.count).toBe(items.length);
        checkInvariants(s, DEFAULT_PROFILE_PARAMS);
      }),
      { numRuns: 200 },
    );
  });

  it('a positive event never moves the long-term vector away from its item', () => {
    fc.assert(
      fc.property(stream, unitish, fc.constantFrom('view', 'click', 'add_to_cart', 'purchase'), (items, v, type) => {
        const s = replayProfile('m', DIM, items);
        const next = updateProfile(s, v, { id: 'x', type, ts: s.updatedAt + 1 });
        expect(next).toBeDefined();
        if (next && norm(s.long) > 0) expect(cosine(next.long, v)).toBeGreaterThanOrEqual(cosine(s.long, v) - EPS);
      }),
      { numRuns: 200 },
    );
  });

  it('explain returns weights that are finite, non-negative and sum to 1', () => {
    const labels = fc.array(fc.record({ label: fc.string(), vector: embedding }), { maxLength: 8 });
    fc.assert(
      fc.property(stream, labels, fc.integer({ min: -2, max: 10 }), (items, ls, k) => {
        const out = explain(replayProfile('m', DIM, items), ls, k);
        expect(out.length).toBeLessThanOrEqual(Math.max(0, k));
        for (const x of out) expect(Number.isFinite(x.weight) && x.weight >= 0).toBe(true);
        if (out.length) expect(out.reduce((a, x) => a + x.weight, 0)).toBeCloseTo(1, 6);
      }),
      { numRuns: 200 },
    );
  });
});
