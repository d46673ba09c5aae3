import type { Basis } from './reduce.ts';

/** A PCA fit: the basis plus how much of the data's variance its components keep. */
export interface PcaFit {
  basis: Basis;
  /** Variance along each kept component, largest first. */
  eigenvalues: Float64Array;
  /** Sum of the kept eigenvalues over the total variance (trace of the covariance), 0-1. */
  varianceKept: number;
}

// Symmetric eigen-decomposition by cyclic Jacobi rotations: small matrices only (the Ritz step).
function jacobiEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += (a[p * n + q] as number) ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[p * n + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i] as number;
  return { values, vectors: v };
}

// Modified Gram-Schmidt on the m columns of q (dim x m, row-major).
function orthonormalize(q: Float64Array, dim: number, m: number) {
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < dim; r++) dot += (q[r * m + i] as number) * (q[r * m + j] as number);
      for (let r = 0; r < dim; r++) q[r * m + j] = (q[r * m + j] as number) - dot * (q[r * m + i] as number);
    }
    let norm = 0;
    for (let r = 0; r < dim; r++) norm += (q[r * m + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < dim; r++) q[r * m + j] = (q[r * m + j] as number) / norm;
  }
}

/**
 * Principal components of `rows` (all of one dimension) by subspace iteration on the
 * covariance, then a Rayleigh-Ritz step so the components come out sorted by variance.
 * Deterministic: the start subspace is a fixed pattern, not random.
 */
export function fitPca(rows: readonly Float32Array[], outDim: number, version: number, iterations = 60): PcaFit {
  const dim = rows[0]?.length ?? 0;
  if (rows.length < 2 || dim === 0) throw new RangeError('PCA needs at least two rows');
  if (outDim < 1 || outDim > dim) throw new RangeError(`outDim ${outDim} is not 1-${dim}`);
  const mean = new Float64Array(dim);
  for (const r of rows) for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (r[i] as number);
  for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) / rows.length;
  // Upper triangle of the covariance, then mirrored.
  const cov = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (const r of rows) {
    for (let i = 0; i < dim; i++) x[i] = (r[i] as number) - (mean[i] as number);
    for (let i = 0; i < dim; i++) {
      const xi = x[i] as number;
      if (xi === 0) continue;
      const row = i * dim;
      for (let j = i; j < dim; j++) cov[row + j] = (cov[row + j] as number) + xi * (x[j] as number);
    }
  }
  let trace = 0;
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const c = (cov[i * dim + j] as number) / rows.length;
      cov[i * dim + j] = c;
      cov[j * dim + i] = c;
    }
    trace += cov[i * dim + i] as number;
  }
  const m = Math.min(dim, outDim + 8);
  let q = new Float64Array(dim * m);
  for (let r = 0; r < dim; r++)
    for (let j = 0; j < m; j++) q[r * m + j] = Math.sin((r + 1) * (j + 1) * 0.7) + (r === j ? 1 : 0);
  orthonormalize(q, dim, m);
  const z = new Float64Array(dim * m);
  for (let it = 0; it < iterations; it++) {
    z.fill(0);
    for (let r = 0; r < dim; r++) {
      const row = r * dim;
      for (let k = 0; k < dim; k++) {
        const c = cov[row + k] as number;
        if (c === 0) continue;
        const qk = k * m;
        const zr = r * m;
        for (let j = 0; j < m; j++) z[zr + j] = (z[zr + j] as number) + c * (q[qk + j] as number);
      }
    }
    q.set(z);
    orthonormalize(q, dim, m);
  }
  // Rayleigh-Ritz: H = Q^T C Q (m x m), eigen-decomposed exactly.
  const cq = new Float64Array(dim * m);
  for (let r = 0; r < dim; r++)
    for (let k = 0; k < dim; k++) {
      const c = cov[r * dim + k] as number;
      if (c !== 0) for (let j = 0; j < m; j++) cq[r * m + j] = (cq[r * m + j] as number) + c * (q[k * m + j] as number);
    }
  const h = new Float64Array(m * m);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let r = 0; r < dim; r++) s += (q[r * m + i] as number) * (cq[r * m + j] as number);
      h[i * m + j] = s;
    }
  for (let i = 0; i < m; i++)
    for (let j = i + 1; j < m; j++)
      h[i * m + j] = h[j * m + i] = ((h[i * m + j] as number) + (h[j * m + i] as number)) / 2;
  const { values, vectors } = jacobiEigen(h, m);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number));
  const weights = new Float32Array(outDim * dim);
  const eigenvalues = new Float64Array(outDim);
  for (let o = 0; o < outDim; o++) {
    const e = order[o] as number;
    eigenvalues[o] = Math.max(0, values[e] as number);
    // Component = Q * y_e; sign fixed so the largest coordinate is positive (stable across fits).
    let big = 0;
    for (let r = 0; r < dim; r++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += (q[r * m + j] as number) * (vectors[j * m + e] as number);
      weights[o * dim + r] = s;
      if (Math.abs(s) > Math.abs(big)) big = s;
    }
    if (big < 0) for (let r = 0; r < dim; r++) weights[o * dim + r] = -(weights[o * dim + r] as number);
  }
  q = new Float64Array(0);
  const kept = eigenvalues.reduce((s, v) => s + v, 0);
  return {
    basis: { version, inDim: dim, outDim, weights, mean: Float32Array.from(mean) },
    eigenvalues,
    varianceKept: trace > 0 ? Math.min(1, kept / trace) : 0,
  };
}
