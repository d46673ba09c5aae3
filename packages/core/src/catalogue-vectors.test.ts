import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dequantizeWeight, quantizeWeight } from './catalogue-signals.ts';
import {
  decodeShard,
  encodeShard,
  SHARD_FLAGS,
  SHARD_FORMAT,
  SHARD_HEADER_BYTES,
  type ShardSignals,
  shardOf,
} from './catalogue-vectors.ts';
import { fnv1a32 } from './hash.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';

const DIM = 8;
const vec = (seed: number) => Float32Array.from({ length: DIM }, (_, i) => Math.sin(seed * 7 + i) * (i % 2 ? 1 : -0.5));
const records = [
  { id: 'sku-1', vector: vec(1) },
  { id: 'Å-größe-日本-🏃', vector: vec(2) },
  { id: 'x'.repeat(255), vector: vec(3) },
  { id: 'zero', vector: new Float32Array(DIM) },
];

function expectError(bytes: Uint8Array, code: string) {
  const r = decodeShard(bytes);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe(code);
}

describe('catalogue vector shards', () => {
  it('round-trips ids (UTF-8) and vectors within int8 quantization error', () => {
    const bytes = encodeShard(records, DIM);
    const r = decodeShard(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dim).toBe(DIM);
    expect([...r.vectors.keys()]).toEqual(records.map((x) => x.id));
    for (const { id, vector } of records) {
      const max = Math.max(...Array.from(vector, Math.abs));
      const got = r.vectors.get(id) as Float32Array;
      for (let i = 0; i < DIM; i++)
        expect(Math.abs((got[i] as number) - (vector[i] as number))).toBeLessThanOrEqual(max / 254 + 1e-7);
    }
  });

  it('writes the documented layout', () => {
    const bytes = encodeShard([{ id: 'ab', vector: Float32Array.from([1, -1]), flags: SHARD_FLAGS.sensitive }], 2);
    expect(Array.from(bytes.subarray(0, 12))).toEqual([0x50, 0x56, 0x45, 0x43, 2, 0, 2, 0, 1, 0, 0, 0]);
    expect(bytes[12]).toBe(2);
    expect(Array.from(bytes.subarray(13, 15))).toEqual([0x61, 0x62]);
    expect(bytes[15]).toBe(1);
    expect(new DataView(bytes.buffer).getFloat32(16, true)).toBeCloseTo(1 / 127, 7);
    expect(Array.from(new Int8Array(bytes.buffer, 20, 2))).toEqual([127, -127]);
    expect(bytes.length).toBe(22);
    const r = decodeShard(bytes);
    expect(r.ok && [...r.flags]).toEqual([['ab', SHARD_FLAGS.sensitive]]);
  });

  it('still reads format 1 (no flags byte), as published before flags existed', () => {
    const v1 = Uint8Array.from([0x50, 0x56, 0x45, 0x43, 1, 0, 2, 0, 1, 0, 0, 0, 2, 0x61, 0x62, 0, 0, 0, 0, 127, 0x81]);
    new DataView(v1.buffer).setFloat32(15, 1 / 127, true);
    const r = decodeShard(v1);
    const v = r.ok ? (r.vectors.get('ab') as Float32Array) : new Float32Array(2);
    expect(v[0]).toBeCloseTo(1, 6);
    expect(v[1]).toBeCloseTo(-1, 6);
    expect(r.ok && r.flags.size).toBe(0);
  });

  it('writes format 2 when no record has signals, and reads it with no signals', () => {
    const bytes = encodeShard(records, DIM);
    expect(bytes[4]).toBe(2);
    const r = decodeShard(bytes);
    expect(r.ok && r.signals.size).toBe(0);
  });

  const sigA: ShardSignals = {
    popularity: 1,
    recentPopularity: 0.5,
    next: [
      { id: 'Å-größe-日本-🏃', weight: 0.25 },
      { id: 'sku-9', weight: 0.01 },
    ],
    together: [{ id: 'zero', weight: 1 }],
  };

  it('round-trips signals in format 3 (weights within one byte on the square-root scale)', () => {
    const withSignals = records.map((r, i) => (i === 0 ? { ...r, signals: sigA } : r));
    const bytes = encodeShard(withSignals, DIM);
    expect(bytes[4]).toBe(SHARD_FORMAT);
    expect(SHARD_FORMAT).toBe(3);
    const r = decodeShard(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([...r.vectors.keys()]).toEqual(records.map((x) => x.id));
    const got = r.signals.get('sku-1') as ShardSignals;
    expect(got.popularity).toBe(1);
    expect(got.recentPopularity).toBeCloseTo(128 / 255, 10);
    expect(got.next.map((n) => n.id)).toEqual(['Å-größe-日本-🏃', 'sku-9']);
    expect(got.together).toEqual([{ id: 'zero', weight: 1 }]);
    for (const [i, n] of got.next.entries()) {
      expect(n.weight).toBe(dequantizeWeight(quantizeWeight((sigA.next[i] as { weight: number }).weight)));
      expect(Math.abs(n.weight - (sigA.next[i] as { weight: number }).weight)).toBeLessThan(0.01);
    }
    // A record without signals in a format-3 shard carries an empty block.
    expect(r.signals.get('zero')).toEqual({ popularity: 0, recentPopularity: 0, next: [], together: [] });
  });

  it('writes the documented format-3 signals block', () => {
    const bytes = encodeShard(
      [
        {
          id: 'ab',
          vector: Float32Array.from([1, -1]),
          signals: { popularity: 1, recentPopularity: 0, next: [{ id: 'c', weight: 1 }], together: [] },
        },
      ],
      2,
    );
    // 12 header + 1 + 2 id + 1 flags + 4 scale + 2 values = 22, then 4 + (1 + 1 + 1).
    expect(bytes.length).toBe(29);
    expect(Array.from(bytes.subarray(22))).toEqual([255, 0, 1, 0, 1, 0x63, 255]);
  });

  it('rejects truncated or malformed signals', () => {
    const bytes = encodeShard([{ id: 'a', vector: vec(1), signals: sigA }], DIM);
    for (let n = 0; n < bytes.length; n++) expect(decodeShard(bytes.subarray(0, n)).ok).toBe(false);
    const neighbourAt = 12 + 1 + 1 + 1 + 4 + DIM + 4;
    const empty = Uint8Array.from(bytes);
    empty[neighbourAt] = 0;
    expect(decodeShard(empty).ok).toBe(false);
    expect(() =>
      encodeShard(
        [
          {
            id: 'a',
            vector: vec(1),
            signals: { ...sigA, next: Array.from({ length: 256 }, () => ({ id: 'b', weight: 1 })) },
          },
        ],
        DIM,
      ),
    ).toThrow(RangeError);
    expect(() =>
      encodeShard([{ id: 'a', vector: vec(1), signals: { ...sigA, next: [{ id: '', weight: 1 }] } }], DIM),
    ).toThrow(RangeError);
  });

  it('refuses flags it does not know', () => {
    const bytes = encodeShard([{ id: 'ab', vector: Float32Array.from([1, -1]) }], 2);
    bytes[15] = 0x80;
    expectError(bytes, 'shard/value');
  });

  it('decodes an empty shard and a shard inside a larger buffer', () => {
    const empty = decodeShard(encodeShard([], DIM));
    expect(empty.ok && empty.vectors.size).toBe(0);
    const inner = encodeShard(records, DIM);
    const outer = new Uint8Array(inner.length + 10);
    outer.set(inner, 5);
    const r = decodeShard(outer.subarray(5, 5 + inner.length));
    expect(r.ok && r.vectors.size).toBe(records.length);
  });

  it.each([
    ['too-short', new Uint8Array(5)],
    ['magic', Uint8Array.from([0x50, 0x56, 0x45, 0x44, 1, 0, 8, 0, 0, 0, 0, 0])],
    ['version', Uint8Array.from([0x50, 0x56, 0x45, 0x43, 4, 0, 8, 0, 0, 0, 0, 0])],
    ['version', Uint8Array.from([0x50, 0x56, 0x45, 0x43, 0, 0, 8, 0, 0, 0, 0, 0])],
    ['size', Uint8Array.from([0x50, 0x56, 0x45, 0x43, 1, 0, 0, 0, 0, 0, 0, 0])],
    ['size', Uint8Array.from([0x50, 0x56, 0x45, 0x43, 1, 0, 8, 0, 0xff, 0xff, 0xff, 0xff])],
  ])('rejects a malformed header as %s', (code, bytes) => {
    expectError(bytes, `shard/${code}`);
  });

  it('rejects every truncation and trailing bytes', () => {
    const bytes = encodeShard(records, DIM);
    for (let n = 0; n < bytes.length; n++) expect(decodeShard(bytes.subarray(0, n)).ok).toBe(false);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    expectError(longer, 'shard/size');
  });

  it('rejects empty, malformed UTF-8 and repeated ids, and bad scales', () => {
    const one = () => encodeShard([{ id: 'ab', vector: Float32Array.from([1, -1]) }], 2);
    const emptyId = one();
    emptyId[12] = 0;
    expectError(emptyId, 'shard/id');
    const badUtf8 = one();
    badUtf8[13] = 0xc0; // overlong lead byte
    expectError(badUtf8, 'shard/id');
    const dup = encodeShard(
      [
        { id: 'ab', vector: Float32Array.from([1, -1]) },
        { id: 'ac', vector: Float32Array.from([1, 0]) },
      ],
      2,
    );
    dup[24] = 0x62; // second id (bytes 23-24) 'ac' -> 'ab'
    expectError(dup, 'shard/id');
    // 3.4e38 is a finite f32, but any int8 above 1 times it overflows to Infinity.
    for (const scale of [Number.NaN, Number.POSITIVE_INFINITY, 0, -1, 3.4e38]) {
      const b = one();
      new DataView(b.buffer).setFloat32(16, scale, true);
      expectError(b, 'shard/value');
    }
  });

  it('never throws on random or mutated bytes', () => {
    const valid = encodeShard(records, DIM);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc
            .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 })
            .map((edits) => {
              const b = Uint8Array.from(valid);
              for (const [i, x] of edits) b[i] = x;
              return b;
            }),
        ),
        (bytes) => {
          const r = decodeShard(bytes);
          if (r.ok) for (const v of r.vectors.values()) expect(v.every(Number.isFinite)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses to encode what it could not decode', () => {
    expect(() => encodeShard([{ id: '', vector: vec(1) }], DIM)).toThrow(RangeError);
    expect(() => encodeShard([{ id: 'y'.repeat(256), vector: vec(1) }], DIM)).toThrow(RangeError);
    expect(() =>
      encodeShard(
        [
          { id: 'a', vector: vec(1) },
          { id: 'a', vector: vec(2) },
        ],
        DIM,
      ),
    ).toThrow(RangeError);
    expect(() => encodeShard([{ id: 'a', vector: new Float32Array(3) }], DIM)).toThrow(RangeError);
    expect(() => encodeShard([{ id: 'a', vector: new Float32Array(DIM).fill(Number.NaN) }], DIM)).toThrow(RangeError);
    expect(() => encodeShard([], 0)).toThrow(RangeError);
    expect(SHARD_HEADER_BYTES).toBe(12);
  });
});

describe('shardOf', () => {
  it('is fnv1a32(id) mod the shard count, in range, and spreads ids evenly', () => {
    expect(shardOf('sku-1', 16)).toBe(fnv1a32('sku-1') % 16);
    const counts = new Array(8).fill(0);
    for (let i = 0; i < 8_000; i++) counts[shardOf(`item-${i}`, 8)]++;
    for (const c of counts) expect(c).toBeGreaterThan(800);
    expect(shardOf('x', 0)).toBe(0);
    expect(shardOf('x', Number.NaN)).toBe(0);
    expect(shardOf('x', 1)).toBe(0);
  });
});

describe('utf8', () => {
  it('round-trips any well-formed string, byte-identical to TextEncoder', () => {
    const { TextEncoder: Enc } = globalThis as unknown as { TextEncoder: new () => { encode(s: string): Uint8Array } };
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        const bytes = utf8Encode(s);
        expect(Array.from(bytes)).toEqual(Array.from(new Enc().encode(s)));
        expect(utf8Decode(bytes)).toBe(s);
      }),
    );
  });

  it('replaces lone surrogates and rejects malformed sequences', () => {
    expect(Array.from(utf8Encode('\ud800'))).toEqual([0xef, 0xbf, 0xbd]);
    for (const bad of [
      [0x80],
      [0xc0, 0x80],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ]) {
      expect(utf8Decode(Uint8Array.from(bad)), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
