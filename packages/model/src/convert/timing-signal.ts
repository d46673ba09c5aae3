/**
 * The Tensor2Tensor timing signal USE-Lite adds to its embeddings:
 * [sin(p * inv), cos(p * inv)] for positions 0..maxLength-1. Computed once with
 * float32 rounding at every step, as the TF.js graph does at run time, so the
 * table is bit-identical to the reference and the ONNX graph needs no Sin/Cos.
 */
export function timingSignalTable(invTimescales: Float32Array, maxLength: number): Float32Array {
  const half = invTimescales.length;
  const table = new Float32Array(maxLength * half * 2);
  for (let p = 0; p < maxLength; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * (invTimescales[i] ?? 0));
      table[p * half * 2 + i] = Math.fround(Math.sin(angle));
      table[p * half * 2 + half + i] = Math.fround(Math.cos(angle));
    }
  }
  return table;
}
