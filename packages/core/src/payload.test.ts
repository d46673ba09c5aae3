import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './hash.ts';
import {
  decodePayload,
  encodePayload,
  PAYLOAD_FLAGS,
  PAYLOAD_HEADER_BYTES,
  type Payload,
  payloadBytes,
  RISK_UNKNOWN,
} from './payload.ts';
import { cosine } from './vector.ts';

const rand = seededRandom(1);
const vec = (d: number) => Float32Array.from({ length: d }, () => rand() * 2 - 1);
const payload = (vectors: Float32Array[], over: Partial<Payload> = {}): Payload => ({
  flags: 0,
  modelHash: 0xdeadbeef,
  basisVersion: 3,
  pseudoId: '00112233445566778899aabbccddeeff',
  timestamp: 1_780_000_000,
  idempotencyKey: '0123456789abcdef',
  risk: RISK_UNKNOWN,
  vectors,
  segments: [],
  ...over,
});

describe('payload codec (format 2)', () => {
  it('round-trips header fields and int8 vectors; the default layout (64, 8, 8) is 127 bytes', () => {
    const vs = [vec(64), vec(8), vec(8)];
    const bytes = encodePayload(payload(vs, { risk: 17 }));
    expect(bytes.length).toBe(127);
    expect(payloadBytes([64, 8, 8])).toBe(127);
    const r = decodePayload(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { vectors, ...header } = r.payload;
    const { vectors: _, ...expected } = payload(vs, { risk: 17 });
    expect(header).toEqual(expected);
    for (const [i, v] of vs.entries()) expect(cosine(vectors[i] ?? [], v)).toBeGreaterThan(0.999);
  });

  it('lays the bytes out as documented', () => {
    const bytes = encodePayload(payload([Float32Array.of(0.5, -1, 0)], { risk: 9 }));
    expect(bytes.length).toBe(PAYLOAD_HEADER_BYTES + 1 + 2 + 3);
    const view = new DataView(bytes.buffer);
    expect(view.getUint8(0)).toBe(2);
    expect(view.getUint32(2, true)).toBe(0xdeadbeef);
    expect(view.getUint16(6, true)).toBe(3);
    expect(bytes[8]).toBe(0x00);
    expect(bytes[23]).toBe(0xff);
    expect(view.getUint32(24, true)).toBe(1_780_000_000);
    expect(bytes[28]).toBe(0x01);
    expect(view.getUint8(36)).toBe(9);
    expect(view.getUint8(37)).toBe(1);
    expect(view.getUint8(38)).toBe(3);
    // The int8 values never pass +-127 even with the bfloat16 scale rounded.
    expect([view.getInt8(41), view.getInt8(42), view.getInt8(43)]).toEqual([63, -126, 0]);
  });

  it('segments mode carries ids and no vector', () => {
    const bytes = encodePayload(payload([], { flags: PAYLOAD_FLAGS.segments, segments: [3, 700] }));
    expect(bytes.length).toBe(PAYLOAD_HEADER_BYTES + 4);
    const r = decodePayload(bytes);
    expect(r.ok && r.payload.segments).toEqual([3, 700]);
    expect(r.ok && r.payload.vectors).toEqual([]);
  });

  it.each([
    ['too short', () => new Uint8Array(10), 'payload/too-short'],
    ['wrong version', () => Uint8Array.from({ length: 106 }, (_, i) => (i === 0 ? 9 : 0)), 'payload/version'],
    ['truncated', () => encodePayload(payload([vec(64)])).subarray(0, 100), 'payload/size'],
    ['one trailing byte', () => Uint8Array.from([...encodePayload(payload([vec(8)])), 0]), 'payload/size'],
    ['unknown flag', () => encodePayload(payload([vec(8)], { flags: 4 })), 'payload/value'],
    [
      'zero scale',
      () => {
        const b = encodePayload(payload([vec(4)]));
        b[39] = 0;
        b[40] = 0;
        return b;
      },
      'payload/value',
    ],
    [
      // 0x7f7f is the largest finite bfloat16 (3.39e38): times 127 it overflows float32.
      'a finite scale whose values overflow',
      () => {
        const b = encodePayload(payload([Float32Array.of(1, -1)]));
        b[39] = 0x7f;
        b[40] = 0x7f;
        return b;
      },
      'payload/value',
    ],
  ])('rejects %s bytes with a code', (_name, input, code) => {
    const r = decodePayload(input());
    expect(r.ok ? 'ok' : r.code).toBe(code);
  });

  it('never throws on arbitrary bytes, and never decodes a non-finite value', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        if (bytes.length > 0) bytes[0] = 2;
        const r = decodePayload(bytes);
        if (r.ok) for (const v of r.payload.vectors) expect(v.every(Number.isFinite)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses to encode malformed ids or oversized vectors', () => {
    expect(() => encodePayload(payload([vec(256)]))).toThrow(RangeError);
    expect(() => encodePayload({ ...payload([vec(4)]), pseudoId: 'not-hex' })).toThrow(RangeError);
  });
});
