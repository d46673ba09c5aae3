import { seededRandom } from '@portrait/core';

/** The project's seeded PRNG (mulberry32), so generated fixture weights are identical on every run. */
export const mulberry32 = seededRandom;

/** Uniform weights in [-range, range) from the generator. */
export function randomWeights(next: () => number, count: number, range: number): Float32Array {
  return Float32Array.from({ length: count }, () => (next() * 2 - 1) * range);
}
