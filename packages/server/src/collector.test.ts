import type { AddressInfo } from 'node:net';
import { encodePayload, type Payload, seededRandom } from '@portrait/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Collector, createCollector } from './collector';

const rand = seededRandom(7);
const payload = (over: Partial<Payload> = {}): Payload => ({
  flags: 0,
  modelHash: 42,
  basisVersion: 0,
  pseudoId: 'aa'.repeat(16),
  timestamp: 1_780_000_000,
  idempotencyKey: '11'.repeat(8),
  vectors: [Float32Array.from({ length: 64 }, () => rand() - 0.5)],
  ...over,
});

describe('collector (real SQLite, real HTTP on loopback)', () => {
  let collector: Collector;
  let base: string;

  beforeEach(async () => {
    collector = createCollector({ dbPath: ':memory:', allowedOrigins: ['http://shop.test'], logLevel: 'silent' });
    await new Promise<void>((r) => collector.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  });
  afterEach(() => collector.close());

  const post = (body: Uint8Array, origin = 'http://shop.test') =>
    fetch(`${base}/v1/profiles`, {
      method: 'POST',
      body,
      headers: { origin, 'content-type': 'application/octet-stream' },
    });

  it('stores a payload, answers CORS for the shop, and treats a replay as a duplicate', async () => {
    const bytes = encodePayload(payload());
    const first = await post(bytes);
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe('http://shop.test');
    const again = await post(bytes);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    expect(collector.db.counts()).toEqual({ profiles: 1, receipts: 1 });
    const stored = collector.db.get('aa'.repeat(16));
    expect(stored?.vectors[0]?.length).toBe(64);
    expect(stored?.modelHash).toBe(42);
  });

  it('keeps the newer vector when an older payload arrives late', async () => {
    await post(encodePayload(payload({ timestamp: 200, idempotencyKey: '22'.repeat(8) })));
    await post(encodePayload(payload({ timestamp: 100, idempotencyKey: '33'.repeat(8) })));
    expect(collector.db.get('aa'.repeat(16))?.timestamp).toBe(200);
  });

  it('rejects other origins, malformed and oversized bodies with codes', async () => {
    expect((await post(encodePayload(payload()), 'http://evil.test')).status).toBe(403);
    const bad = await post(new Uint8Array(12));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('payload/too-short');
    expect((await post(new Uint8Array(100_000))).status).toBe(413);
    expect(collector.db.counts().profiles).toBe(0);
  });

  it('erases a profile on DELETE and refuses ids that are not pseudonymous ids', async () => {
    await post(encodePayload(payload()));
    expect((await fetch(`${base}/v1/profiles/${'aa'.repeat(16)}`, { method: 'DELETE' })).status).toBe(204);
    expect(collector.db.get('aa'.repeat(16))).toBeUndefined();
    expect((await fetch(`${base}/v1/profiles/..%2F..%2Fetc`, { method: 'DELETE' })).status).toBe(400);
  });
});
