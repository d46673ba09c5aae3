import { describe, expect, it } from 'vitest';
import { createProfile, DEFAULT_PROFILE_PARAMS, type Interest, MAX_INTERESTS, type ProfileParams } from './profile.ts';
import { isProfileState } from './profile-guard.ts';
import { updateProfile } from './profile-update.ts';
import { axis, copy, DIM, event, fold } from './test-helpers.ts';

describe('isProfileState', () => {
  const { structuredClone: clone } = globalThis as unknown as { structuredClone: <T>(x: T) => T };
  const p = fold(createProfile('m', DIM), [axis(0), axis(1), axis(0)]);

  it('accepts profiles built by updateProfile, also after a structured clone (as IndexedDB stores them)', () => {
    expect(isProfileState(createProfile('m', DIM))).toBe(true);
    const cloned = clone(p);
    expect(isProfileState(cloned)).toBe(true);
    expect(copy(cloned)).toEqual(copy(p));
  });

  it.each([
    ['null', () => null],
    ['another version', () => ({ ...p, version: 2 })],
    ['a number[] instead of Float32Array', () => ({ ...p, long: Array.from(p.long) })],
    ['a vector of the wrong dimension', () => ({ ...p, short: new Float32Array(DIM - 1) })],
    ['NaN in a vector', () => ({ ...p, long: Float32Array.from(p.long, (x, i) => (i ? x : Number.NaN)) })],
    ['a norm above 1', () => ({ ...p, long: new Float32Array(DIM).fill(1) })],
    ['a negative weight', () => ({ ...p, longWeight: -1 })],
    ['an infinite timestamp', () => ({ ...p, updatedAt: Number.POSITIVE_INFINITY })],
    ['a fractional count', () => ({ ...p, count: 1.5 })],
    ['a NaN centroid weight', () => ({ ...p, interests: [{ ...(p.interests[0] as Interest), weight: Number.NaN }] })],
    ['too many centroids', () => ({ ...p, interests: Array(MAX_INTERESTS + 1).fill(p.interests[0]) })],
  ])('rejects %s', (_, make) => {
    expect(isProfileState(make())).toBe(false);
  });

  it('caps K at MAX_INTERESTS', () => {
    const params: ProfileParams = { ...DEFAULT_PROFILE_PARAMS, maxInterests: 1e9, mergeSimilarity: 1.1 };
    let s = createProfile('m', 80);
    for (let i = 0; i < 80; i++) s = updateProfile(s, axis(i, 80), event('view', 1 + i), params) ?? s;
    expect(s.count).toBe(80);
    expect(s.interests).toHaveLength(MAX_INTERESTS);
  });
});
