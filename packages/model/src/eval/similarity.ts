export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** Indices of the k nearest rows to row i by cosine, excluding i itself. */
export function nearest(vectors: readonly Float32Array[], i: number, k: number): number[] {
  const self = vectors[i];
  if (!self) return [];
  return vectors
    .map((v, j) => ({ j, s: j === i ? Number.NEGATIVE_INFINITY : cosine(self, v) }))
    .sort((x, y) => y.s - x.s || x.j - y.j)
    .slice(0, k)
    .map((x) => x.j);
}

/** Mean over rows of |top-k(a) ∩ top-k(b)| / k: do two encoders agree on neighbours? */
export function neighbourOverlap(a: readonly Float32Array[], b: readonly Float32Array[], k: number): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const na = new Set(nearest(a, i, k));
    total += nearest(b, i, k).filter((j) => na.has(j)).length / k;
  }
  return total / a.length;
}

export function summary(values: readonly number[]): { mean: number; min: number } {
  return { mean: values.reduce((s, v) => s + v, 0) / values.length, min: Math.min(...values) };
}
