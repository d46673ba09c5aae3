import { describe, expect, it } from 'vitest';
import { decodeBasisFile, encodeBasisFile } from './basis-file.ts';
import { seededRandom } from './hash.ts';
import { gaussian } from './local-dp.ts';
import { fitPca } from './pca.ts';
import { project } from './reduce.ts';
import { cosine } from './vector.ts';

// Data with known structure: 3 strong directions plus small isotropic noise, in 24 dims.
function data(n: number, seed = 3) {
  const rand = seededRandom(seed);
  const dirs = [0, 5, 11].map((k) => Float32Array.from({ length: 24 }, (_, i) => (i === k ? 1 : 0)));
  const scales = [3, 2, 1];
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: 24 }, () => 0.05 * gaussian(rand) + 0.2);
    dirs.forEach((d, j) => {
      const a = (scales[j] as number) * gaussian(rand);
      for (let i = 0; i < 24; i++) v[i] = (v[i] as number) + a * (d[i] as number);
    });
    return v;
  });
}

describe('fitPca', () => {
  it('finds the planted directions in variance order and reports the variance kept', () => {
    const fit = fitPca(data(2000), 3, 1);
    const row = (o: number) => fit.basis.weights.subarray(o * 24, (o + 1) * 24);
    expect(Math.abs(row(0)[0] as number)).toBeGreaterThan(0.99);
    expect(Math.abs(row(1)[5] as number)).toBeGreaterThan(0.99);
    expect(Math.abs(row(2)[11] as number)).toBeGreaterThan(0.99);
    expect(fit.eigenvalues[0]).toBeGreaterThan(fit.eigenvalues[1] as number);
    // 14 of 14 + 21 * 0.0025 of the variance lies in the three directions.
    expect(fit.varianceKept).toBeGreaterThan(0.98);
    expect(fit.basis.mean[3]).toBeCloseTo(0.2, 1);
    // Components are orthonormal.
    expect(cosine(row(0), row(1))).toBeCloseTo(0, 4);
  });

  it('keeps less variance with fewer components, and the basis survives its file format', () => {
    const rows = data(500, 9);
    const two = fitPca(rows, 2, 1).varianceKept;
    const fit = fitPca(rows, 3, 7);
    expect(two).toBeLessThan(fit.varianceKept);
    const bytes = encodeBasisFile({ basis: fit.basis, modelHash: 42, varianceKept: fit.varianceKept });
    expect(bytes.length).toBe(20 + 4 * 24 + 3 * (4 + 24));
    const back = decodeBasisFile(bytes);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(back.file.basis.version).toBe(7);
    expect(back.file.modelHash).toBe(42);
    expect(back.file.varianceKept).toBeCloseTo(fit.varianceKept, 5);
    const v = rows[0] as Float32Array;
    expect(cosine(project(back.file.basis, v), project(fit.basis, v))).toBeGreaterThan(0.999);
    expect(decodeBasisFile(bytes.subarray(0, 50)).ok).toBe(false);
    expect(decodeBasisFile(new Uint8Array(100)).ok).toBe(false);
    // A finite row scale that overflows float32 once multiplied by an int8 weight.
    const huge = Uint8Array.from(bytes);
    new DataView(huge.buffer).setFloat32(20 + 4 * 24, 3.4e38, true);
    expect(decodeBasisFile(huge).ok).toBe(false);
  });

  it('refuses degenerate input', () => {
    expect(() => fitPca([Float32Array.of(1, 2)], 1, 1)).toThrow(RangeError);
    expect(() => fitPca(data(10), 30, 1)).toThrow(RangeError);
  });
});
