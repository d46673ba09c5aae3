/**
 * The published PCA basis, as the collector serves it at `GET /v1/basis`
 * (format 1, little-endian):
 *
 * | offset | size             | field                                          |
 * |--------|------------------|------------------------------------------------|
 * | 0      | 4                | magic 'PBAS' (0x50 0x42 0x41 0x53)             |
 * | 4      | 1                | format version (1)                             |
 * | 5      | 1                | reserved, 0                                    |
 * | 6      | 2                | basis version (u16, >= 1; 0 is the random one) |
 * | 8      | 4                | model id hash (FNV-1a 32 of the model id)      |
 * | 12     | 2                | input dimension D (the model's)                |
 * | 14     | 2                | output dimension d (components)                |
 * | 16     | 4                | variance kept, f32 in [0, 1]                   |
 * | 20     | 4 D              | mean, f32                                      |
 * | 20+4D  | d (4 + D)        | per component: f32 scale, D int8 (w = q*scale) |
 *
 * 64 x 512 for USE-Lite is 33,300 bytes: int8 rows keep the file small, and their error
 * (under 0.4 % of a row's largest weight) is below the payload's own int8 quantization.
 */
import { quantize } from './payload.ts';
import type { Basis } from './reduce.ts';
import { isFiniteVector } from './vector.ts';

export const BASIS_MAGIC = 0x53414250; // 'PBAS' read as a little-endian u32
export const BASIS_FORMAT = 1;
const HEADER = 20;

/** A basis as published: which model it belongs to and what it keeps. */
export interface BasisFile {
  basis: Basis;
  modelHash: number;
  varianceKept: number;
}

export function encodeBasisFile(file: BasisFile): Uint8Array<ArrayBuffer> {
  const { basis } = file;
  const D = basis.inDim;
  const d = basis.outDim;
  if (basis.version < 1 || basis.version > 0xffff) throw new RangeError('basis version must be 1-65535');
  if (basis.weights.length !== D * d || basis.mean.length !== D) throw new RangeError('basis shape mismatch');
  const bytes = new Uint8Array(HEADER + 4 * D + d * (4 + D));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, BASIS_MAGIC, true);
  view.setUint8(4, BASIS_FORMAT);
  view.setUint16(6, basis.version, true);
  view.setUint32(8, file.modelHash >>> 0, true);
  view.setUint16(12, D, true);
  view.setUint16(14, d, true);
  view.setFloat32(16, file.varianceKept, true);
  for (let i = 0; i < D; i++) view.setFloat32(HEADER + 4 * i, basis.mean[i] as number, true);
  let o = HEADER + 4 * D;
  for (let r = 0; r < d; r++) {
    const { scale, values } = quantize(basis.weights.subarray(r * D, (r + 1) * D));
    view.setFloat32(o, scale, true);
    bytes.set(new Uint8Array(values.buffer), o + 4);
    o += 4 + D;
  }
  return bytes;
}

export type BasisDecodeResult = { ok: true; file: BasisFile } | { ok: false; message: string };

/** Decodes a fetched basis file; never throws. */
export function decodeBasisFile(bytes: Uint8Array): BasisDecodeResult {
  if (bytes.length < HEADER) return { ok: false, message: `${bytes.length} bytes` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== BASIS_MAGIC) return { ok: false, message: 'not a PBAS file' };
  if (view.getUint8(4) !== BASIS_FORMAT) return { ok: false, message: `format ${view.getUint8(4)}` };
  const version = view.getUint16(6, true);
  const D = view.getUint16(12, true);
  const d = view.getUint16(14, true);
  if (version < 1 || D < 1 || d < 1 || d > D) return { ok: false, message: `version ${version}, ${d} x ${D}` };
  if (bytes.length !== HEADER + 4 * D + d * (4 + D)) return { ok: false, message: `${bytes.length} bytes` };
  const mean = new Float32Array(D);
  for (let i = 0; i < D; i++) mean[i] = view.getFloat32(HEADER + 4 * i, true);
  const weights = new Float32Array(d * D);
  let o = HEADER + 4 * D;
  for (let r = 0; r < d; r++) {
    const scale = view.getFloat32(o, true);
    if (!Number.isFinite(scale) || scale <= 0) return { ok: false, message: `row ${r} scale ${scale}` };
    for (let i = 0; i < D; i++) weights[r * D + i] = view.getInt8(o + 4 + i) * scale;
    // A finite scale can still overflow float32 once multiplied by an int8.
    if (!isFiniteVector(weights.subarray(r * D, (r + 1) * D))) return { ok: false, message: `row ${r} overflows` };
    o += 4 + D;
  }
  const varianceKept = view.getFloat32(16, true);
  if (!isFiniteVector(mean) || !(varianceKept >= 0 && varianceKept <= 1))
    return { ok: false, message: 'non-finite mean or variance' };
  return {
    ok: true,
    file: { basis: { version, inDim: D, outDim: d, weights, mean }, modelHash: view.getUint32(8, true), varianceKept },
  };
}
