/**
 * Masked mean over positions, then L2 normalisation, one Float32Array per row of
 * `hidden` `[rows, width, dim]`. The arithmetic is transformers.js' own
 * (`mean_pooling`, then `normalize(2, -1)`: each mean summed in float64 over
 * positions in order and stored as float32, the squared norm accumulated in
 * float32), so a folder gives bit-identical vectors here and through its
 * feature-extraction pipeline.
 */
export function meanPoolNormalize(hidden: Float32Array, dims: readonly number[], mask: BigInt64Array): Float32Array[] {
  const [rows = 0, width = 0, dim = 0] = dims;
  const out: Float32Array[] = [];
  const sums = new Float64Array(dim);
  const squares = new Float32Array(1);
  for (let i = 0; i < rows; i++) {
    sums.fill(0);
    let count = 0;
    for (let j = 0; j < width; j++) {
      const m = Number(mask[i * width + j]);
      count += m;
      const offset = (i * width + j) * dim;
      for (let k = 0; k < dim; k++) sums[k] = (sums[k] ?? 0) + (hidden[offset + k] ?? 0) * m;
    }
    const v = new Float32Array(dim);
    squares[0] = 0;
    for (let k = 0; k < dim; k++) {
      v[k] = (sums[k] ?? 0) / count;
      squares[0] = (squares[0] ?? 0) + (v[k] ?? 0) ** 2;
    }
    const norm = Math.fround((squares[0] ?? 0) ** (1 / 2));
    for (let k = 0; k < dim; k++) v[k] = (v[k] ?? 0) / norm;
    out.push(v);
  }
  return out;
}
