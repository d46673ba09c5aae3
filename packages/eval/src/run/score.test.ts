import { describe, expect, it } from 'vitest';
import type { ScorerConfig } from '../recommenders/configs.ts';
import { scoreInto } from './score.ts';

const scorer = (terms: [string, number][]): ScorerConfig => ({
  name: 's',
  family: 's',
  kind: 'portrait',
  terms,
  label: '',
});

describe('scoreInto', () => {
  it('equals a running float32 sum from zeros, term by term', () => {
    const n = 50;
    const f = (seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.3 + i * 1.1) * (i % 3));
    const features = new Map([
      ['a', f(1)],
      ['b', f(2)],
      ['own', Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 1 : 0))],
    ]);
    const terms: [string, number][] = [
      ['own', -10],
      ['a', 0.3],
      ['b', 1.7],
    ];
    const ref = new Float32Array(n);
    for (const [key, w] of terms) {
      const x = features.get(key) as Float32Array;
      for (let i = 0; i < n; i++) ref[i] = (ref[i] as number) + w * (x[i] as number);
    }
    const out = new Float32Array(n).fill(99);
    scoreInto(scorer(terms), features, out);
    expect([...out]).toEqual([...ref]);
    // No -0 from the negative first weight times 0: the same scores as adding to zeros.
    expect(out.some((x) => Object.is(x, -0))).toBe(false);
  });

  it('zeros for no terms; throws on a missing feature', () => {
    const out = new Float32Array(3).fill(1);
    scoreInto(scorer([]), new Map(), out);
    expect([...out]).toEqual([0, 0, 0]);
    expect(() => scoreInto(scorer([['x', 1]]), new Map(), out)).toThrow(/needs feature x/);
  });
});
