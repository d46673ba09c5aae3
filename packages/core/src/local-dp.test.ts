import { describe, expect, it } from 'vitest';
import { seededRandom } from './hash.ts';
import { dpSigma, privatize } from './local-dp.ts';
import { norm } from './vector.ts';

describe('local DP', () => {
  it('calibrates sigma to (epsilon, delta, clip) as the Gaussian mechanism does', () => {
    const s = dpSigma({ epsilon: 1, delta: 1e-5, clip: 1 }, 1);
    expect(s).toBeCloseTo(2 * Math.sqrt(2 * Math.log(1.25e5)), 6);
    expect(dpSigma({ epsilon: 2, delta: 1e-5, clip: 1 }, 1)).toBeCloseTo(s / 2, 6);
    expect(dpSigma({ epsilon: 1, delta: 1e-5, clip: 1 }, 4)).toBeCloseTo(s * 2, 6);
    expect(() => dpSigma({ epsilon: 0, delta: 1e-5, clip: 1 }, 1)).toThrow(RangeError);
  });

  it('clips, then adds zero-mean noise of the calibrated spread', () => {
    const o = { epsilon: 1, delta: 1e-5, clip: 0.5 };
    const big = Float32Array.from({ length: 4000 }, () => 1);
    const [noised] = privatize([big], o, seededRandom(5));
    const sigma = dpSigma(o, 1);
    const clipped = 0.5 / norm(big);
    let mean = 0;
    let sq = 0;
    for (const x of noised ?? []) {
      mean += x - clipped;
      sq += (x - clipped) ** 2;
    }
    mean /= 4000;
    const sd = Math.sqrt(sq / 4000 - mean * mean);
    expect(Math.abs(mean)).toBeLessThan(sigma * 0.1);
    expect(sd / sigma).toBeGreaterThan(0.95);
    expect(sd / sigma).toBeLessThan(1.05);
  });
});
