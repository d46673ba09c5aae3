import { seededRandom } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import { catalogueOf, cosineAll, dotAll } from './catalogue.ts';

// The one-query-at-a-time loop the blocked version replaced: the reference it must match bit for bit.
function cosineAllNaive(
  cat: ReturnType<typeof catalogueOf>,
  queries: readonly Float32Array[],
  outs: readonly Float32Array[],
): void {
  const { dim, matrix, size } = cat;
  const inv = queries.map((v) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (v[k] as number) ** 2;
    return s > 0 ? 1 / Math.sqrt(s) : 0;
  });
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < queries.length; j++) {
      const v = queries[j] as Float32Array;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += (matrix[i * dim + k] as number) * (v[k] as number);
      (outs[j] as Float32Array)[i] = dot * (inv[j] as number);
    }
  }
}

const rand = seededRandom(42);
const vec = (dim: number) => Float32Array.from({ length: dim }, () => rand() * 2 - 1);

describe('cosineAll (four queries per pass over the catalogue)', () => {
  it('gives the cosines of one query at a time bit for bit, for every count of queries mod 4', () => {
    const dim = 37;
    const cat = catalogueOf(
      Array.from({ length: 23 }, () => vec(dim)),
      dim,
    );
    for (const q of [0, 1, 3, 4, 5, 8, 11]) {
      const queries = Array.from({ length: q }, () => vec(dim));
      if (q > 2) queries[2] = new Float32Array(dim); // a zero query scores 0 everywhere
      const fast = queries.map(() => new Float32Array(cat.size));
      const slow = queries.map(() => new Float32Array(cat.size));
      cosineAll(cat, queries, fast);
      cosineAllNaive(cat, queries, slow);
      expect(fast.map((a) => [...a])).toEqual(slow.map((a) => [...a]));
      if (q > 2) expect([...(fast[2] as Float32Array)].every((x) => x === 0)).toBe(true);
    }
  });

  it('dotAll with scale 1 is the raw dot product', () => {
    const cat = catalogueOf([Float32Array.of(1, 2), Float32Array.of(3, -1)], 2);
    const out = [new Float32Array(2)];
    dotAll(cat, [Float32Array.of(2, 5)], [1], out);
    expect([...(out[0] as Float32Array)]).toEqual([12, 1]);
  });
});
