import { seededRandom } from './hash.ts';

/** A linear map from the model's space to the compact space the server sees. */
export interface Basis {
  version: number;
  inDim: number;
  outDim: number;
  /** Row-major outDim x inDim. */
  weights: Float32Array;
  /** Subtracted before projecting (PCA mean); zeros for a random projection. */
  mean: Float32Array;
}

/**
 * Basis version 0: a seeded Gaussian random projection. It keeps pairwise geometry
 * (Johnson-Lindenstrauss) without any fitted data, so it is the default until a
 * merchant publishes a PCA basis fitted on their catalogue.
 */
export function randomProjectionBasis(inDim: number, outDim: number, seed = 0x5eed): Basis {
  const rand = seededRandom(seed);
  const weights = new Float32Array(outDim * inDim);
  const scale = 1 / Math.sqrt(outDim);
  for (let i = 0; i < weights.length; i += 2) {
    // Box-Muller: two normals per pair of uniforms.
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    weights[i] = r * Math.cos(2 * Math.PI * v) * scale;
    if (i + 1 < weights.length) weights[i + 1] = r * Math.sin(2 * Math.PI * v) * scale;
  }
  return { version: 0, inDim, outDim, weights, mean: new Float32Array(inDim) };
}

export function project(basis: Basis, v: Float32Array): Float32Array {
  if (v.length !== basis.inDim) throw new RangeError(`vector has ${v.length} dims, basis expects ${basis.inDim}`);
  const out = new Float32Array(basis.outDim);
  for (let o = 0; o < basis.outDim; o++) {
    let s = 0;
    const row = o * basis.inDim;
    for (let i = 0; i < basis.inDim; i++)
      s += (basis.weights[row + i] as number) * ((v[i] as number) - (basis.mean[i] as number));
    out[o] = s;
  }
  return out;
}
