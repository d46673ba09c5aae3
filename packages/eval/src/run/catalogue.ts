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

/**
 * Cosine of every catalogue item with each query vector (rows are unit, so a dot product over the
 * query's norm). All queries share one pass over the matrix, which is what bounds the cost.
 * A zero query scores 0 everywhere.
 */
export function cosineAll(cat: Catalogue, queries: readonly Float32Array[], outs: readonly Float32Array[]): void {
  const { dim, matrix, size } = cat;
  const q = queries.length;
  const inv = queries.map((v) => {
    let s = 0;
    for (let k = 0; k < dim; k++) s += (v[k] as number) ** 2;
    return s > 0 ? 1 / Math.sqrt(s) : 0;
  });
  for (let i = 0; i < size; i++) {
    const row = i * dim;
    for (let j = 0; j < q; j++) {
      const v = queries[j] as Float32Array;
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += (matrix[row + k] as number) * (v[k] as number);
      (outs[j] as Float32Array)[i] = dot * (inv[j] as number);
    }
  }
}
