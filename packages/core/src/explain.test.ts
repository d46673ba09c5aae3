import { describe, expect, it } from 'vitest';
import { calibratedThreshold, explain, SENSITIVE_THRESHOLD, SENSITIVE_TOPICS, sensitiveTopic } from './explain.ts';
import { createProfile, type ProfileState } from './profile.ts';
import { updateProfile } from './profile-update.ts';
import { axis, DIM, event, near, rng } from './test-helpers.ts';

const labels = [
  { label: 'sports', vector: axis(0) },
  { label: 'kitchen', vector: axis(1) },
  { label: 'books', vector: axis(2) },
  { label: 'garden', vector: axis(3) },
];

function browse(state: ProfileState, topic: Float32Array, n: number, t0: number, seed: number): ProfileState {
  const rand = rng(seed);
  let p = state;
  for (let i = 0; i < n; i++) p = updateProfile(p, near(topic, 0.3, rand), event('view', t0 + i * 5_000)) ?? p;
  return p;
}

describe('explain', () => {
  it('names the label of a synthetic profile, weights summing to 1, best first', () => {
    const p = browse(createProfile('m', DIM), axis(0), 20, 1_000, 1);
    const out = explain(p, labels, 3);
    expect(out[0]?.label).toBe('sports');
    expect(out[0]?.weight).toBeGreaterThan(0.9);
    expect(out.length).toBeLessThanOrEqual(3);
    expect(out.reduce((s, x) => s + x.weight, 0)).toBeCloseTo(1, 10);
    for (let i = 1; i < out.length; i++) expect(out[i]?.weight).toBeLessThanOrEqual(out[i - 1]?.weight as number);
  });

  it('moves the top interest from sports to kitchen after a run of kitchen products', () => {
    const sports = browse(createProfile('m', DIM), axis(0), 25, 1_000, 2);
    expect(explain(sports, labels, 1)[0]?.label).toBe('sports');
    const both = browse(sports, axis(1), 25, 1_000_000, 3);
    const out = explain(both, labels, 2);
    expect(out.map((x) => x.label)).toEqual(['kitchen', 'sports']);
    expect(out[0]?.weight).toBeGreaterThan(0.55);
  });

  it('reports a mix of interests in proportion to how they were browsed', () => {
    const rand = rng(4);
    let p = createProfile('m', DIM);
    for (let i = 0; i < 60; i++) {
      const topic = i % 3 === 2 ? axis(2) : axis(3); // garden twice as often as books, interleaved
      p = updateProfile(p, near(topic, 0.2, rand), event('view', 1_000 + i * 1_000)) ?? p;
    }
    const out = explain(p, labels, 4);
    expect(out.slice(0, 2).map((x) => x.label)).toEqual(['garden', 'books']);
  });

  it('returns nothing for an empty profile, no usable labels, or k < 1; ignores labels of another dimension', () => {
    const p = browse(createProfile('m', DIM), axis(0), 5, 1_000, 5);
    expect(explain(createProfile('m', DIM), labels, 3)).toEqual([]);
    expect(explain(p, [], 3)).toEqual([]);
    expect(explain(p, labels, 0)).toEqual([]);
    expect(explain(p, [{ label: 'wrong', vector: new Float32Array(3).fill(1) }], 3)).toEqual([]);
    expect(explain(p, [{ label: 'nan', vector: new Float32Array(DIM).fill(Number.NaN) }, ...labels], 1)).toEqual([
      { label: 'sports', weight: 1 },
    ]);
  });
});

describe('sensitiveTopic', () => {
  const topics = [
    { label: 'health', vector: axis(5) },
    { label: 'religion', vector: axis(6) },
  ];

  it('returns the nearest topic at or above the threshold, else undefined', () => {
    const rand = rng(6);
    expect(sensitiveTopic(near(axis(5), 0.1, rand), topics, 0.5)).toBe('health');
    expect(sensitiveTopic(near(axis(6), 0.1, rand), topics, 0.5)).toBe('religion');
    expect(sensitiveTopic(axis(0), topics, 0.5)).toBeUndefined();
    expect(sensitiveTopic(axis(5), [], 0.5)).toBeUndefined();
    expect(sensitiveTopic(new Float32Array(DIM).fill(Number.NaN), topics, 0.5)).toBeUndefined();
    expect(sensitiveTopic(axis(5, 4), topics, 0.5)).toBeUndefined();
  });

  it('ships a default list covering the five categories and a threshold in (0, 1)', () => {
    for (const word of ['health', 'religio', 'sexual', 'politic', 'debt']) {
      expect(
        SENSITIVE_TOPICS.some((t) => t.includes(word)),
        word,
      ).toBe(true);
    }
    expect(SENSITIVE_THRESHOLD).toBeGreaterThan(0);
    expect(SENSITIVE_THRESHOLD).toBeLessThan(1);
  });
});

describe('calibratedThreshold', () => {
  const t = (label: string, ...xs: number[]) => ({ label, vector: Float32Array.from(xs) });
  it('keeps the configured threshold when ordinary text is far from the topics', () => {
    expect(calibratedThreshold([t('a', 1, 0)], [Float32Array.from([0, 1])], 0.5)).toBe(0.5);
  });
  it('rises above how close ordinary text already is, so an undiscriminating model flags nothing ordinary', () => {
    const th = calibratedThreshold([t('a', 1, 0)], [Float32Array.from([0.9, 0.1])], 0.5);
    expect(th).toBeGreaterThan(0.99);
    expect(th).toBeLessThan(1.1);
  });
  it('falls back to the configured value with no anchors', () => {
    expect(calibratedThreshold([t('a', 1, 0)], [], 0.42)).toBe(0.42);
  });
});
