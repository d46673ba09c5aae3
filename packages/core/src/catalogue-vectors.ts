/**
 * Merchant-published item vectors (int8, made server-side with the same model), sharded by
 * item-id hash so a device fetches only the shards of the items it touches, and (format 3) the
 * catalogue signals the merchant derived from its order log (see catalogue-signals.ts).
 * Byte layout of one shard (format 3, little-endian; format 2 has no signals block, format 1 no
 * flags byte either; both are still read, and a shard without signals is still written as 2):
 *
 * | offset | size  | field                                               |
 * |--------|-------|-----------------------------------------------------|
 * | 0      | 4     | magic 'PVEC' (0x50 0x56 0x45 0x43)                  |
 * | 4      | 1     | format version (3)                                  |
 * | 5      | 1     | reserved, 0                                         |
 * | 6      | 2     | dimension d (u16, >= 1)                             |
 * | 8      | 4     | record count n (u32)                                |
 * | 12     | ...   | n records:                                          |
 * |        | 1     |   id length L in bytes (u8, 1-255)                  |
 * |        | L     |   id, UTF-8                                         |
 * |        | 1     |   flags (bit 0: near a sensitive topic, never fold) |
 * |        | 4     |   scale (f32, finite, > 0)                          |
 * |        | d     |   d int8 values; value_i = int8_i * scale           |
 * |        |       |   signals block (format 3 only):                    |
 * |        | 1     |   popularity (u8; /255 = log1p(n) / log1p(max n))   |
 * |        | 1     |   recent popularity (u8, same scale, own max)       |
 * |        | 1     |   "bought next" count a (u8)                        |
 * |        | 1     |   "bought together" count b (u8)                    |
 * |        | a + b |   neighbours, next first: id length M (u8, 1-255),  |
 * |        |       |   M bytes of id (UTF-8), weight (u8; (w/255)^2)     |
 *
 * Neighbours are named by id, not by an index: a neighbour usually lives in another shard, and
 * the device needs its id to fetch that shard and to answer with it.
 *
 * The shard of an item is `fnv1a32(id) % shardCount` (FNV-1a over UTF-16 code units, see
 * hash.ts); a server-side writer must hash the same way.
 */
import { dequantizeWeight, quantizeWeight } from './catalogue-signals.ts';
import { fnv1a32 } from './hash.ts';
import { quantize } from './payload.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';
import { isFiniteVector } from './vector.ts';

export const SHARD_MAGIC = 0x43455650; // 'PVEC' read as a little-endian u32
export const SHARD_FORMAT = 3;
/** Per-item flags a shard carries (format 2 and later). */
export const SHARD_FLAGS = { sensitive: 1 } as const;
export const SHARD_HEADER_BYTES = 12;

export type ShardErrorCode =
  | 'shard/too-short'
  | 'shard/magic'
  | 'shard/version'
  | 'shard/size'
  | 'shard/id'
  | 'shard/value';

/** An item's catalogue signals as a shard carries them (popularities 0..1, weights 0..1). */
export interface ShardSignals {
  popularity: number;
  recentPopularity: number;
  next: { id: string; weight: number }[];
  together: { id: string; weight: number }[];
}

/** Most neighbours of one kind a record can carry (a u8 count). */
export const SHARD_MAX_NEIGHBOURS = 255;

export type ShardDecodeResult =
  | {
      ok: true;
      dim: number;
      vectors: Map<string, Float32Array>;
      flags: Map<string, number>;
      /** Per item, its signals (format 3; empty for older shards). */
      signals: Map<string, ShardSignals>;
    }
  | { ok: false; code: ShardErrorCode; message: string };

/** Which shard file holds an item: 0 .. shardCount-1 (a non-positive count is treated as 1). */
export function shardOf(itemId: string, shardCount: number): number {
  const n = Math.floor(shardCount);
  return n >= 1 ? fnv1a32(itemId) % n : 0;
}

const popByte = (p: number) => (p > 0 ? Math.max(1, Math.min(255, Math.round(p * 255))) : 0);

/**
 * Encodes one shard: format 3 when any record has signals, else format 2 (byte-identical to
 * what readers of format 2 expect). Throws RangeError on bad input (a build-time tool, not
 * untrusted data).
 */
export function encodeShard(
  records: readonly { id: string; vector: Float32Array; flags?: number; signals?: ShardSignals }[],
  dim: number,
): Uint8Array<ArrayBuffer> {
  const withSignals = records.some((r) => r.signals);
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
  const neighbourIds = records.map((r) => {
    const sig = r.signals;
    if (!withSignals) return [];
    if (sig && (sig.next.length > SHARD_MAX_NEIGHBOURS || sig.together.length > SHARD_MAX_NEIGHBOURS)) {
      throw new RangeError(`"${r.id.slice(0, 40)}" has more than ${SHARD_MAX_NEIGHBOURS} neighbours of a kind`);
    }
    return [...(sig?.next ?? []), ...(sig?.together ?? [])].map((n) => {
      const b = utf8Encode(n.id);
      if (b.length < 1 || b.length > 255)
        throw new RangeError(`neighbour id "${n.id.slice(0, 40)}" is not 1-255 bytes`);
      return b;
    });
  });
  const signalBytes = (k: number) =>
    withSignals ? 4 + (neighbourIds[k] ?? []).reduce((s, b) => s + 2 + b.length, 0) : 0;
  const size = SHARD_HEADER_BYTES + ids.reduce((s, id, k) => s + 1 + id.length + 1 + 4 + dim + signalBytes(k), 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, SHARD_MAGIC, true);
  view.setUint8(4, withSignals ? SHARD_FORMAT : 2);
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
    if (!withSignals) return;
    const sig = r.signals;
    view.setUint8(o, popByte(sig?.popularity ?? 0));
    view.setUint8(o + 1, popByte(sig?.recentPopularity ?? 0));
    view.setUint8(o + 2, sig?.next.length ?? 0);
    view.setUint8(o + 3, sig?.together.length ?? 0);
    o += 4;
    const weights = [...(sig?.next ?? []), ...(sig?.together ?? [])].map((n) => n.weight);
    (neighbourIds[k] ?? []).forEach((b, j) => {
      view.setUint8(o, b.length);
      bytes.set(b, o + 1);
      view.setUint8(o + 1 + b.length, quantizeWeight(weights[j] as number));
      o += 2 + b.length;
    });
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
  if (version < 1 || version > SHARD_FORMAT) return fail('shard/version', `format ${version}`);
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
  const signals = new Map<string, ShardSignals>();
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
    // A finite scale can still overflow float32 once multiplied by an int8.
    if (!isFiniteVector(v)) return fail('shard/value', `record ${k} scale ${scale} overflows`);
    vectors.set(id, v);
    o += 4 + dim;
    if (version >= 3) {
      if (o + 4 > bytes.length) return fail('shard/size', `record ${k} signals run past the end`);
      const sig: ShardSignals = {
        popularity: view.getUint8(o) / 255,
        recentPopularity: view.getUint8(o + 1) / 255,
        next: [],
        together: [],
      };
      const a = view.getUint8(o + 2);
      const b = view.getUint8(o + 3);
      o += 4;
      for (let j = 0; j < a + b; j++) {
        const m = o < bytes.length ? view.getUint8(o) : 0;
        if (o + 2 + m > bytes.length) return fail('shard/size', `record ${k} neighbour ${j} runs past the end`);
        const nid = m === 0 ? undefined : utf8Decode(bytes.subarray(o + 1, o + 1 + m));
        if (nid === undefined) return fail('shard/id', `record ${k} neighbour ${j} has an empty or malformed id`);
        (j < a ? sig.next : sig.together).push({ id: nid, weight: dequantizeWeight(view.getUint8(o + 1 + m)) });
        o += 2 + m;
      }
      signals.set(id, sig);
    }
  }
  if (o !== bytes.length) return fail('shard/size', `${bytes.length - o} trailing bytes`);
  return { ok: true, dim, vectors, flags, signals };
}
