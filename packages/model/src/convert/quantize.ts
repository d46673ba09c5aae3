/** Symmetric int8 values with one float scale per column (or per row). */
export interface Quantized {
  readonly q: Int8Array;
  readonly scales: Float32Array;
}

function toInt8(value: number, scale: number): number {
  return scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(value / scale)));
}

/** Per-output-channel symmetric quantization of a row-major [k, n] matrix. */
export function quantizePerColumn(w: Float32Array, k: number, n: number): Quantized {
  const scales = new Float32Array(n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) scales[c] = Math.max(scales[c] ?? 0, Math.abs(w[r * n + c] ?? 0));
  }
  for (let c = 0; c < n; c++) scales[c] = (scales[c] ?? 0) / 127;
  const q = new Int8Array(k * n);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c < n; c++) q[r * n + c] = toInt8(w[r * n + c] ?? 0, scales[c] ?? 0);
  }
  return { q, scales };
}

/** Per-row symmetric quantization of a row-major [rows, cols] table (the embeddings). */
export function quantizePerRow(w: Float32Array, rows: number, cols: number): Quantized {
  const scales = new Float32Array(rows);
  const q = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(w[r * cols + c] ?? 0));
    const scale = max / 127;
    scales[r] = scale;
    for (let c = 0; c < cols; c++) q[r * cols + c] = toInt8(w[r * cols + c] ?? 0, scale);
  }
  return { q, scales };
}
