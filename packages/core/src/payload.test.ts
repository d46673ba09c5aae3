import { describe, expect, it } from 'vitest';
import { seededRandom } from './hash';
import { decodePayload, encodePayload, PAYLOAD_HEADER_BYTES, type Payload } from './payload';
import { project, randomProjectionBasis } from './reduce';
import { cosine } from './vector';

const rand = seededRandom(1);
const vec = (d: number) => Float32Array.from({ length: d }, () => rand() * 2 - 1);
const payload = (vectors: Float32Array[]): Payload => ({
  flags: 0,
  modelHash: 0xdeadbeef,
  basisVersion: 3,
  pseudoId: '00112233445566778899aabbccddeeff',
  timestamp: 1_780_000_000,
  idempotencyKey: '0123456789abcdef',
  vectors,
});

describe('payload codec', () => {
  it('round-trips header fields and int8 vectors, 106 bytes for one 64-d vector', () => {
    const v = vec(64);
    const bytes = encodePayload(payload([v]));
    expect(bytes.length).toBe(106);
    const r = decodePayload(bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { vectors, ...header } = r.payload;
    const { vectors: _, ...expected } = payload([v]);
    expect(header).toEqual(expected);
    expect(cosine(vectors[0] ?? [], v)).toBeGreaterThan(0.999);
  });

  it.each([
    ['too short', new Uint8Array(10), 'payload/too-short'],
    ['wrong version', Uint8Array.from({ length: 106 }, (_, i) => (i === 0 ? 9 : 0)), 'payload/version'],
    ['truncated', () => encodePayload(payload([vec(64)])).subarray(0, 100), 'payload/size'],
  ])('rejects %s bytes with a code', (_name, input, code) => {
    const bytes = typeof input === 'function' ? input() : input;
    const r = decodePayload(bytes);
    expect(r.ok ? 'ok' : r.code).toBe(code);
  });

  it('refuses to encode mixed dimensions or malformed ids', () => {
    expect(() => encodePayload(payload([vec(4), vec(5)]))).toThrow(RangeError);
    expect(() => encodePayload({ ...payload([vec(4)]), pseudoId: 'not-hex' })).toThrow(RangeError);
  });

  it('header is 38 bytes', () => expect(PAYLOAD_HEADER_BYTES).toBe(38));
});

describe('random projection basis', () => {
  it('is deterministic and keeps cosine geometry roughly', () => {
    const a = randomProjectionBasis(512, 64);
    const b = randomProjectionBasis(512, 64);
    expect(a.weights).toEqual(b.weights);
    const x = vec(512);
    const y = Float32Array.from(x, (t, i) => t + (i % 3 === 0 ? 0.3 : 0));
    const before = cosine(x, y);
    const after = cosine(project(a, x), project(a, y));
    expect(Math.abs(after - before)).toBeLessThan(0.15);
  });
});
