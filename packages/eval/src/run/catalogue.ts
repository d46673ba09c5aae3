/** Item vectors as one row-major matrix, for scoring the whole catalogue at once. */
export interface Catalogue {
  size: number;
  dim: number;
  /** size x dim, unit rows. */
  matrix: Float32Array;
}

export function catalogueOf(vectors: readonly Float32Array[], dim: number): Catalogue {
  const matrix = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => {
    matrix.set(v, i * dim);
  });
  return { size: vectors.length, dim, matrix };
}

/** 1 over the vector's length (0 for a zero vector): the scale that turns a dot product into a cosine. */
export const invNorm = (v: Float32Array, dim: number): number => {
  let s = 0;
  for (let k = 0; k < dim; k++) s += (v[k] as number) ** 2;
  return s > 0 ? 1 / Math.sqrt(s) : 0;
};

/**
 * Cosine of every catalogue item with each query vector (rows are unit, so a dot product over the
 * query's norm). A zero query scores 0 everywhere.
 *
 * Four queries share each pass over a matrix row (one load of the row's value feeds four sums),
 * which halves the time of the eval's hottest loop. Each dot product still adds its terms in
 * index order in a double, so the cosines are bit for bit those of one query at a time
 * (`cosineAllNaive` in the test).
 */
export function cosineAll(cat: Catalogue, queries: readonly Float32Array[], outs: readonly Float32Array[]): void {
  dotAll(
    cat,
    queries,
    queries.map((v) => invNorm(v, cat.dim)),
    outs,
  );
}

/** Every catalogue row's dot product with each query, times that query's `scale` (1: the raw dot). */
export function dotAll(
  cat: Catalogue,
  queries: readonly Float32Array[],
  scales: readonly number[],
  outs: readonly Float32Array[],
): void {
  const { dim, matrix, size } = cat;
  const q = queries.length;
  const inv = scales;
  let j = 0;
  for (; j + 4 <= q; j += 4) {
    const a = queries[j] as Float32Array;
    const b = queries[j + 1] as Float32Array;
    const c = queries[j + 2] as Float32Array;
    const d = queries[j + 3] as Float32Array;
    const oa = outs[j] as Float32Array;
    const ob = outs[j + 1] as Float32Array;
    const oc = outs[j + 2] as Float32Array;
    const od = outs[j + 3] as Float32Array;
    const ia = inv[j] as number;
    const ib = inv[j + 1] as number;
    const ic = inv[j + 2] as number;
    const id = inv[j + 3] as number;
    for (let i = 0; i < size; i++) {
      const row = i * dim;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < dim; k++) {
        const m = matrix[row + k] as number;
        s0 += m * (a[k] as number);
        s1 += m * (b[k] as number);
        s2 += m * (c[k] as number);
        s3 += m * (d[k] as number);
      }
      oa[i] = s0 * ia;
      ob[i] = s1 * ib;
      oc[i] = s2 * ic;
      od[i] = s3 * id;
    }
  }
  for (; j < q; j++) {
    const v = queries[j] as Float32Array;
    const o = outs[j] as Float32Array;
    const iv = inv[j] as number;
    for (let i = 0; i < size; i++) {
      const row = i * dim;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += (matrix[row + k] as number) * (v[k] as number);
      o[i] = dot * iv;
    }
  }
}

// Rows of the catalogue's item-by-item dot products, kept per catalogue: the same items are chosen
// by many users, and each row costs a full pass over the matrix. Bounded so a large catalogue
// cannot hold its whole square in memory.
const ITEM_DOTS_BYTES = 256 * 1024 * 1024;
const itemDotCache = new WeakMap<Catalogue, Map<number, Float32Array>>();

/**
 * Each catalogue row's raw dot product with row `item`, per item of `items` (computed as `dotAll`
 * with the item's row as the query, so bit for bit that; cached per catalogue).
 */
export function itemDots(cat: Catalogue, items: readonly number[]): Float32Array[] {
  let cache = itemDotCache.get(cat);
  if (!cache) {
    cache = new Map();
    itemDotCache.set(cat, cache);
  }
  const rows = cache;
  const missing = [...new Set(items.filter((i) => !rows.has(i)))];
  const outs = missing.map(() => new Float32Array(cat.size));
  dotAll(
    cat,
    missing.map((i) => cat.matrix.subarray(i * cat.dim, (i + 1) * cat.dim)),
    missing.map(() => 1),
    outs,
  );
  const fresh = new Map(missing.map((i, j) => [i, outs[j] as Float32Array]));
  const room = Math.floor(ITEM_DOTS_BYTES / Math.max(1, cat.size * 4));
  for (const [i, row] of fresh) if (rows.size < room) rows.set(i, row);
  return items.map((i) => (rows.get(i) ?? fresh.get(i)) as Float32Array);
}
