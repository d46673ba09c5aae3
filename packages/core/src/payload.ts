/**
 * The only thing that ever leaves the device. Byte layout (format 2, little-endian):
 *
 * | offset  | size | field                                                          |
 * |---------|------|----------------------------------------------------------------|
 * | 0       | 1    | format version (2)                                             |
 * | 1       | 1    | flags: bit 0 = local DP noise applied, bit 1 = segments only   |
 * | 2       | 4    | model id hash (FNV-1a 32 of the model id)                      |
 * | 6       | 2    | basis version                                                  |
 * | 8       | 16   | pseudonymous id (random, made on device, rotatable)            |
 * | 24      | 4    | timestamp, seconds since the Unix epoch                        |
 * | 28      | 8    | idempotency key (random per queued sync)                       |
 * | 36      | 1    | risk: session anomaly 0-254 (0 = like its owner), 255 = unknown |
 * | 37      | 1    | n: vector count 0-8, or segment count 0-32 when bit 1 is set   |
 *
 * Vector mode (flag bit 1 clear):
 *
 * | 38      | n    | dimension d_i of each vector (1-255)                           |
 * | 38+n    | ...  | per vector: 2-byte scale (bfloat16: the top half of a float32),|
 * |         |      | then d_i int8 values; value = int8 * scale                     |
 *
 * Vector i is, in order: 0 = long-term, 1 = short-term, 2.. = interest centroids by weight.
 * Each is the first d_i components of the PCA projection (components are ordered by the
 * variance they keep, so a shorter prefix is a coarser view of the same direction).
 * The default layout (64, 8, 8) is 38 + 3 + (2+64) + (2+8) + (2+8) = 127 bytes.
 *
 * Segments mode (flag bit 1 set): | 38 | 2n | segment ids, u16 each | — no vector at all.
 */
import { isFiniteVector } from './vector.ts';

export const PAYLOAD_FORMAT = 2;
export const PAYLOAD_HEADER_BYTES = 38;
export const PAYLOAD_MAX_VECTORS = 8;
export const PAYLOAD_MAX_SEGMENTS = 32;
export const PAYLOAD_MAX_BYTES = PAYLOAD_HEADER_BYTES + PAYLOAD_MAX_VECTORS * (1 + 2 + 255);
/** The risk byte when the device has no estimate yet. */
export const RISK_UNKNOWN = 255;

export const PAYLOAD_FLAGS = { noised: 1, segments: 2 } as const;

/** Decoded payload; vectors are dequantized. */
export interface Payload {
  flags: number;
  modelHash: number;
  basisVersion: number;
  /** 32 hex characters. */
  pseudoId: string;
  /** Seconds since the Unix epoch. */
  timestamp: number;
  /** 16 hex characters. */
  idempotencyKey: string;
  /** 0-254 anomaly of the current session against the owner's history; 255 unknown. */
  risk: number;
  /** Long-term, short-term, then centroids (empty in segments mode). */
  vectors: Float32Array[];
  /** Segment ids (segments mode only, else empty). */
  segments: number[];
}

export type PayloadErrorCode = 'payload/too-short' | 'payload/version' | 'payload/size' | 'payload/value';
export type DecodeResult = { ok: true; payload: Payload } | { ok: false; code: PayloadErrorCode; message: string };

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
function unhex(text: string, bytes: number): Uint8Array {
  if (!new RegExp(`^[0-9a-f]{${bytes * 2}}$`).test(text))
    throw new RangeError(`expected ${bytes} bytes of lowercase hex`);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Symmetric int8 quantization with one scale per vector. */
export function quantize(v: Float32Array): { scale: number; values: Int8Array } {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  const scale = max === 0 ? 1 : max / 127;
  const values = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) values[i] = Math.round((v[i] as number) / scale);
  return { scale, values };
}

const f32 = new DataView(new ArrayBuffer(4));

/** bfloat16 bits of a positive scale, rounded up so no value quantizes past +-127. */
function toBf16(scale: number): number {
  f32.setFloat32(0, scale);
  const bits = f32.getUint32(0);
  const top = bits >>> 16;
  return (bits & 0xffff) === 0 ? top : top + 1;
}

function fromBf16(bits: number): number {
  f32.setUint32(0, bits << 16);
  return f32.getFloat32(0);
}

/** Quantizes with a bfloat16 scale: 2 bytes instead of 4, well within int8's own error. */
function quantizeBf16(v: Float32Array): { bits: number; values: Int8Array } {
  let max = 0;
  for (const x of v) max = Math.max(max, Math.abs(x));
  const bits = toBf16(max === 0 || !Number.isFinite(max) ? 1 : max / 127);
  const scale = fromBf16(bits);
  const values = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    values[i] = Math.max(-127, Math.min(127, Math.round((v[i] as number) / scale || 0)));
  }
  return { bits, values };
}

/** Size of the encoded payload for these vector dimensions (vector mode). */
export function payloadBytes(dims: readonly number[]): number {
  return PAYLOAD_HEADER_BYTES + dims.reduce((s, d) => s + 1 + 2 + d, 0);
}

function writeHeader(p: Payload, bytes: Uint8Array, flags: number, count: number) {
  const view = new DataView(bytes.buffer);
  if (!Number.isInteger(p.risk) || p.risk < 0 || p.risk > 255) throw new RangeError('risk must be 0-255');
  view.setUint8(0, PAYLOAD_FORMAT);
  view.setUint8(1, flags);
  view.setUint32(2, p.modelHash >>> 0, true);
  view.setUint16(6, p.basisVersion, true);
  bytes.set(unhex(p.pseudoId, 16), 8);
  view.setUint32(24, p.timestamp >>> 0, true);
  bytes.set(unhex(p.idempotencyKey, 8), 28);
  view.setUint8(36, p.risk);
  view.setUint8(37, count);
  return view;
}

export function encodePayload(p: Payload): Uint8Array<ArrayBuffer> {
  if (p.flags & PAYLOAD_FLAGS.segments) {
    const ids = p.segments;
    if (ids.length > PAYLOAD_MAX_SEGMENTS || ids.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffff)) {
      throw new RangeError(`segments mode takes 0-${PAYLOAD_MAX_SEGMENTS} ids of 0-65535`);
    }
    const bytes = new Uint8Array(PAYLOAD_HEADER_BYTES + 2 * ids.length);
    const view = writeHeader(p, bytes, p.flags, ids.length);
    for (const [i, s] of ids.entries()) view.setUint16(PAYLOAD_HEADER_BYTES + 2 * i, s, true);
    return bytes;
  }
  const n = p.vectors.length;
  if (n > PAYLOAD_MAX_VECTORS || p.vectors.some((v) => v.length < 1 || v.length > 255)) {
    throw new RangeError(`payload takes 0-${PAYLOAD_MAX_VECTORS} vectors of 1-255 dimensions`);
  }
  const bytes = new Uint8Array(payloadBytes(p.vectors.map((v) => v.length)));
  const view = writeHeader(p, bytes, p.flags, n);
  let o = PAYLOAD_HEADER_BYTES;
  for (const v of p.vectors) view.setUint8(o++, v.length);
  for (const v of p.vectors) {
    const { bits, values } = quantizeBf16(v);
    view.setUint16(o, bits, true);
    bytes.set(new Uint8Array(values.buffer), o + 2);
    o += 2 + v.length;
  }
  return bytes;
}

const fail = (code: PayloadErrorCode, message: string): DecodeResult => ({ ok: false, code, message });

/** Decodes untrusted bytes; never throws. Every byte must be accounted for. */
export function decodePayload(bytes: Uint8Array): DecodeResult {
  if (!(bytes instanceof Uint8Array) || bytes.length < PAYLOAD_HEADER_BYTES)
    return fail('payload/too-short', `${bytes?.length ?? 0} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== PAYLOAD_FORMAT) return fail('payload/version', `format ${version}`);
  const flags = view.getUint8(1);
  if (flags & ~(PAYLOAD_FLAGS.noised | PAYLOAD_FLAGS.segments)) return fail('payload/value', `flags ${flags}`);
  const n = view.getUint8(37);
  const vectors: Float32Array[] = [];
  const segments: number[] = [];
  if (flags & PAYLOAD_FLAGS.segments) {
    if (n > PAYLOAD_MAX_SEGMENTS || bytes.length !== PAYLOAD_HEADER_BYTES + 2 * n)
      return fail('payload/size', `${bytes.length} bytes for ${n} segments`);
    for (let i = 0; i < n; i++) segments.push(view.getUint16(PAYLOAD_HEADER_BYTES + 2 * i, true));
  } else {
    if (n > PAYLOAD_MAX_VECTORS || bytes.length < PAYLOAD_HEADER_BYTES + n)
      return fail('payload/size', `${n} vectors in ${bytes.length} bytes`);
    const dims = Array.from(bytes.subarray(PAYLOAD_HEADER_BYTES, PAYLOAD_HEADER_BYTES + n));
    if (dims.includes(0)) return fail('payload/size', 'a vector of dimension 0');
    if (bytes.length !== payloadBytes(dims)) return fail('payload/size', `${bytes.length} bytes for dims ${dims}`);
    let o = PAYLOAD_HEADER_BYTES + n;
    for (const d of dims) {
      const scale = fromBf16(view.getUint16(o, true));
      if (!Number.isFinite(scale) || scale <= 0) return fail('payload/value', `scale ${scale}`);
      const v = new Float32Array(d);
      for (let i = 0; i < d; i++) v[i] = view.getInt8(o + 2 + i) * scale;
      // int8 × a huge finite bfloat16 scale overflows float32: such a vector would poison every ranking.
      if (!isFiniteVector(v)) return fail('payload/value', 'a value decodes to ±Infinity');
      vectors.push(v);
      o += 2 + d;
    }
  }
  return {
    ok: true,
    payload: {
      flags,
      modelHash: view.getUint32(2, true),
      basisVersion: view.getUint16(6, true),
      pseudoId: hex(bytes.subarray(8, 24)),
      timestamp: view.getUint32(24, true),
      idempotencyKey: hex(bytes.subarray(28, 36)),
      risk: view.getUint8(36),
      vectors,
      segments,
    },
  };
}
