/**
 * The only thing that ever leaves the device. Byte layout (format 1, little-endian):
 *
 * | offset | size | field                                              |
 * |--------|------|----------------------------------------------------|
 * | 0      | 1    | format version (1)                                 |
 * | 1      | 1    | flags: bit 0 = local DP noise applied              |
 * | 2      | 4    | model id hash (FNV-1a 32 of the model id)          |
 * | 6      | 2    | basis version                                      |
 * | 8      | 16   | pseudonymous id (random, made on device, rotatable)|
 * | 24     | 4    | timestamp, seconds since the Unix epoch            |
 * | 28     | 8    | idempotency key (random per sync)                  |
 * | 36     | 1    | vector count n                                     |
 * | 37     | 1    | dimension d                                        |
 * | 38     | n*(4+d) | per vector: float32 scale, then d int8 values   |
 */
export const PAYLOAD_FORMAT = 1;
export const PAYLOAD_HEADER_BYTES = 38;
export const PAYLOAD_MAX_BYTES = PAYLOAD_HEADER_BYTES + 8 * (4 + 255);

export const PAYLOAD_FLAGS = { noised: 1 } as const;

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
  vectors: Float32Array[];
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

export function encodePayload(p: Payload): Uint8Array<ArrayBuffer> {
  const n = p.vectors.length;
  const d = p.vectors[0]?.length ?? 0;
  if (n === 0 || n > 8 || d === 0 || d > 255 || p.vectors.some((v) => v.length !== d)) {
    throw new RangeError('payload needs 1-8 vectors of one dimension 1-255');
  }
  const bytes = new Uint8Array(PAYLOAD_HEADER_BYTES + n * (4 + d));
  const view = new DataView(bytes.buffer);
  view.setUint8(0, PAYLOAD_FORMAT);
  view.setUint8(1, p.flags);
  view.setUint32(2, p.modelHash >>> 0, true);
  view.setUint16(6, p.basisVersion, true);
  bytes.set(unhex(p.pseudoId, 16), 8);
  view.setUint32(24, p.timestamp >>> 0, true);
  bytes.set(unhex(p.idempotencyKey, 8), 28);
  view.setUint8(36, n);
  view.setUint8(37, d);
  let o = PAYLOAD_HEADER_BYTES;
  for (const v of p.vectors) {
    const { scale, values } = quantize(v);
    view.setFloat32(o, scale, true);
    bytes.set(new Uint8Array(values.buffer), o + 4);
    o += 4 + d;
  }
  return bytes;
}

/** Decodes untrusted bytes; never throws. */
export function decodePayload(bytes: Uint8Array): DecodeResult {
  if (bytes.length < PAYLOAD_HEADER_BYTES)
    return { ok: false, code: 'payload/too-short', message: `${bytes.length} bytes` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== PAYLOAD_FORMAT) return { ok: false, code: 'payload/version', message: `format ${version}` };
  const n = view.getUint8(36);
  const d = view.getUint8(37);
  if (n === 0 || d === 0 || bytes.length !== PAYLOAD_HEADER_BYTES + n * (4 + d)) {
    return { ok: false, code: 'payload/size', message: `${bytes.length} bytes for ${n} x ${d}` };
  }
  const vectors: Float32Array[] = [];
  let o = PAYLOAD_HEADER_BYTES;
  for (let k = 0; k < n; k++) {
    const scale = view.getFloat32(o, true);
    if (!Number.isFinite(scale) || scale <= 0) return { ok: false, code: 'payload/value', message: `scale ${scale}` };
    const v = new Float32Array(d);
    for (let i = 0; i < d; i++) v[i] = view.getInt8(o + 4 + i) * scale;
    vectors.push(v);
    o += 4 + d;
  }
  return {
    ok: true,
    payload: {
      flags: view.getUint8(1),
      modelHash: view.getUint32(2, true),
      basisVersion: view.getUint16(6, true),
      pseudoId: hex(bytes.subarray(8, 24)),
      timestamp: view.getUint32(24, true),
      idempotencyKey: hex(bytes.subarray(28, 36)),
      vectors,
    },
  };
}
