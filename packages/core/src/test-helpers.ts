// Shared by the tests only (not exported from index.ts): synthetic embeddings and events.
import { expect } from 'vitest';
import type { EventType, PortraitEvent } from './events.ts';
import { seededRandom } from './hash.ts';
import type { ProfileState } from './profile.ts';
import { updateProfile } from './profile-update.ts';

export const DIM = 16;

export function unitVector(xs: ArrayLike<number>): Float32Array {
  let n = 0;
  for (let i = 0; i < xs.length; i++) n += (xs[i] as number) ** 2;
  const out = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = (xs[i] as number) / Math.sqrt(n);
  return out;
}

// The i-th standard basis vector: topics that are exactly orthogonal.
export function axis(i: number, dim = DIM): Float32Array {
  const v = new Float32Array(dim);
  v[i] = 1;
  return v;
}

// A unit vector near `base`: base plus uniform noise of the given amplitude per component.
export function near(base: Float32Array, noise: number, rand: () => number): Float32Array {
  return unitVector(Array.from(base, (x) => x + (rand() * 2 - 1) * noise));
}

export const rng = (seed = 1) => seededRandom(seed);

export function event(type: EventType, ts: number, extra: Partial<PortraitEvent> = {}): PortraitEvent {
  return { id: `e${ts}`, type, ts, product: { id: `p${ts}`, title: 'item' }, ...extra };
}

export function l2(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

/** Folds `vectors` as events of one type, 1 s apart from `t0`; fails the test if any fold is refused. */
export function fold(
  state: ProfileState,
  vectors: Float32Array[],
  type: Parameters<typeof event>[0] = 'view',
  t0 = 1_000,
) {
  let s = state;
  vectors.forEach((v, i) => {
    const next = updateProfile(s, v, event(type, t0 + i * 1000));
    expect(next).toBeDefined();
    s = next as ProfileState;
  });
  return s;
}

export const copy = (s: ProfileState) => ({
  ...s,
  long: Array.from(s.long),
  short: Array.from(s.short),
  interests: s.interests.map((c) => ({ ...c, vector: Array.from(c.vector) })),
});
