/**
 * Merchant-published item vectors (int8, made server-side with the same model), sharded by
 * item-id hash so a device fetches only the shards of the items it touches.
 * Byte layout of one shard (format 2, little-endian; format 1 had no flags byte and is still read):
 *
 * | offset | size  | field                                               |
 * |--------|-------|-----------------------------------------------------|
 * | 0      | 4     | magic 'PVEC' (0x50 0x56 0x45 0x43)                  |
 * | 4      | 1     | format version (2)                                  |
 * | 5      | 1     | reserved, 0                                         |
 * | 6      | 2     | dimension d (u16, >= 1)                             |
 * | 8      | 4     | record count n (u32)                                |
 * | 12     | ...   | n records:                                          |
 * |        | 1     |   id length L in bytes (u8, 1-255)                  |
 * |        | L     |   id, UTF-8                                         |
 * |        | 1     |   flags (bit 0: near a sensitive topic, never fold) |
 * |        | 4     |   scale (f32, finite, > 0)                          |
 * |        | d     |   d int8 values; value_i = int8_i * scale           |
 *
 * The shard of an item is `fnv1a32(id) % shardCount` (FNV-1a over UTF-16 code units, see
 * hash.ts); a server-side writer must hash the same way.
 */
import { fnv1a32 } from './hash.ts';
import { quantize } from './payload.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';
import { isFiniteVector } from './vector.ts';

export const SHARD_MAGIC = 0x43455650; // 'PVEC' read as a little-endian u32
export const SHARD_FORMAT = 2;
/** Per-item flags a shard carries (format 2). */
export const SHARD_FLAGS = { sensitive: 1 } as const;
export const SHARD_HEADER_BYTES = 12;

export type ShardErrorCode =
  | 'shard/too-short'
  | 'shard/magic'
  | 'shard/version'
  | 'shard/size'
  | 'shard/id'
  | 'shard/value';

export type ShardDecodeResult =
  | { ok: true; dim: number; vectors: Map<string, Float32Array>; flags: Map<string, number> }
  | { ok: false; code: ShardErrorCode; message: string };

/** Which shard file holds an item: 0 .. shardCount-1 (a non-positive count is treated as 1). */
export function shardOf(itemId: string, shardCount: number): number {
  const n = Math.floor(shardCount);
  return n >= 1 ? fnv1a32(itemId) % n : 0;
}

/** Encodes one shard. Throws RangeError on bad input (a build-time tool, not untrusted data). */
export function encodeShard(
  records: readonly { id: string; vector: Float32Array; flags?: number }[],
  dim: number,
): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(dim) || dim < 1 || dim > 0xffff) throw new RangeError(`dimension ${dim} is not 1-65535`);
  const seen = new Set<string>();
  const ids = records.map((r) => {
    const id = utf8Encode(r.id);
    if (id.length < 1 || id.length > 255)
      throw new RangeError(`item id "${r.id.slice(0, 40)}" is not 1-255 UTF-8 bytes`);
    if (seen.has(r.id)) throw new RangeError(`item id "${r.id.slice(0, 40)}" appears twice`);
    seen.add(r.id);
    if (r.vector.length !== dim || !isFiniteVector(r.vector)) {
      throw new RangeError(`vector of "${r.id.slice(0, 40)}" is not ${dim} finite numbers`);
    }
    return id;
  });
  const size = SHARD_HEADER_BYTES + ids.reduce((s, id) => s + 1 + id.length + 1 + 4 + dim, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, SHARD_MAGIC, true);
  view.setUint8(4, SHARD_FORMAT);
  view.setUint16(6, dim, true);
  view.setUint32(8, records.length, true);
  let o = SHARD_HEADER_BYTES;
  records.forEach((r, k) => {
    const id = ids[k] as Uint8Array;
    view.setUint8(o, id.length);
    bytes.set(id, o + 1);
    view.setUint8(o + 1 + id.length, (r.flags ?? 0) & SHARD_FLAGS.sensitive);
    o += 2 + id.length;
    const { scale, values } = quantize(r.vector);
    view.setFloat32(o, scale, true);
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), o + 4);
    o += 4 + dim;
  });
  return bytes;
}

const fail = (code: ShardErrorCode, message: string): ShardDecodeResult => ({ ok: false, code, message });

/** Decodes untrusted shard bytes into id -> dequantized vector; never throws. */
export function decodeShard(bytes: Uint8Array): ShardDecodeResult {
  if (!(bytes instanceof Uint8Array)) return fail('shard/too-short', 'not a byte array');
  if (bytes.length < SHARD_HEADER_BYTES) return fail('shard/too-short', `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== SHARD_MAGIC) return fail('shard/magic', 'not a PVEC shard');
  const version = view.getUint8(4);
  if (version !== 1 && version !== SHARD_FORMAT) return fail('shard/version', `format ${version}`);
  const flagBytes = version === 1 ? 0 : 1;
  const dim = view.getUint16(6, true);
  const count = view.getUint32(8, true);
  if (dim === 0) return fail('shard/size', 'dimension 0');
  // Each record is at least 1 + 1 + 4 + dim bytes: check before allocating anything for `count`.
  if (count > (bytes.length - SHARD_HEADER_BYTES) / (6 + dim)) {
    return fail('shard/size', `${count} records of dimension ${dim} cannot fit in ${bytes.length} bytes`);
  }
  const vectors = new Map<string, Float32Array>();
  const flags = new Map<string, number>();
  let o = SHARD_HEADER_BYTES;
  for (let k = 0; k < count; k++) {
    const len = o < bytes.length ? view.getUint8(o) : 0;
    if (o + 1 + len + flagBytes + 4 + dim > bytes.length) return fail('shard/size', `record ${k} runs past the end`);
    const id = len === 0 ? undefined : utf8Decode(bytes.subarray(o + 1, o + 1 + len));
    if (id === undefined) return fail('shard/id', `record ${k} has an empty or malformed id`);
    if (vectors.has(id)) return fail('shard/id', `record ${k} repeats an id`);
    o += 1 + len;
    if (flagBytes) {
      const f = view.getUint8(o);
      if (f & ~SHARD_FLAGS.sensitive) return fail('shard/value', `record ${k} flags ${f}`);
      if (f) flags.set(id, f);
      o += 1;
    }
    const scale = view.getFloat32(o, true);
    if (!Number.isFinite(scale) || scale <= 0) return fail('shard/value', `record ${k} scale ${scale}`);
    const v = new Float32Array(dim);
    for (let i = 0; i < dim; i++) v[i] = view.getInt8(o + 4 + i) * scale;
    vectors.set(id, v);
    o += 4 + dim;
  }
  if (o !== bytes.length) return fail('shard/size', `${bytes.length - o} trailing bytes`);
  return { ok: true, dim, vectors, flags };
}
