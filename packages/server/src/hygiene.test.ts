// Values the codec accepts but the collector must not store (far-future timestamps, vectors
// that decode to Infinity, a basis nobody serves), the rate limiter in front of CORS, the
// admin-only routes, slow clients and too many connections. Real SQLite and PostgreSQL where
// storage is involved; afterAll prints one row per case.
import { connect, type Socket } from 'node:net';
import { encodePayload } from '@portrait/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Collector, createCollector } from './collector.ts';
import type { CollectorOptions } from './config.ts';
import {
  type Adapter,
  createSummary,
  hexId,
  httpClient,
  ID,
  listen,
  payload,
  suiteStorage,
  testCollectorOptions,
} from './test-support/abuse-harness.ts';

const SECRET = 'hygiene-secret';
const ADMIN = 'admin-token-for-tests';
const summary = createSummary('server hygiene cases');

const storage = suiteStorage('hygiene', summary);

describe.each(['sqlite', 'postgres'] as const)('collector hygiene on %s', (adapter: Adapter) => {
  let collector: Collector;
  let port = 0;
  const { agent, send, post } = httpClient(() => port);
  const record = (name: string, expected: string, statuses: number[]) =>
    summary.record(adapter, name, expected, statuses);

  async function start(over: Partial<CollectorOptions> = {}) {
    collector = createCollector(
      testCollectorOptions(await storage.where(adapter), { secret: SECRET, adminToken: ADMIN }, over),
    );
    port = await listen(collector);
  }
  afterEach(() => collector?.close());
  afterAll(() => agent.destroy());
  const store = async () => (await collector.ready).store;
  const now = () => Math.floor(Date.now() / 1000);
  const sync = (i: number, over: Parameters<typeof payload>[0] = {}) =>
    encodePayload(payload({ timestamp: now() - 1000 + i, idempotencyKey: hexId(i + 1).slice(16), ...over }));

  it('refuses a timestamp past now + the skew allowance, so one cannot freeze a profile', async () => {
    await start({ clockSkewSeconds: 600 });
    const seeded = await post(sync(0));
    const token = seeded.json.token as string;
    const year = await post(sync(1, { timestamp: now() + 365 * 86_400 }), token);
    const hour = await post(sync(2, { timestamp: now() + 3_600 }), token);
    const firstSync = await post(sync(3, { pseudoId: hexId(99), timestamp: 4_000_000_000 }));
    // Within the allowance a fast device clock is fine.
    const skewed = await post(sync(4, { timestamp: now() + 300 }), token);
    record('timestamp a year / an hour ahead; far-future first sync', '400×3', [
      year.status,
      hour.status,
      firstSync.status,
    ]);
    record('timestamp 5 min ahead (allowance 10 min)', '201', [skewed.status]);
    for (const r of [year, hour, firstSync]) expect([r.status, r.json.code]).toEqual([400, 'payload/future']);
    expect(skewed.status).toBe(201);
    expect((await (await store()).get(ID))?.timestamp).toBe(now() + 300);
    expect(await (await store()).exists(hexId(99))).toBe(false);
  });

  it('refuses vectors that decode to Infinity (int8 × the largest bfloat16 scale)', async () => {
    await start();
    const body = sync(0);
    // The first vector's scale: 0x7f7f is the largest finite bfloat16, ~3.4e38; × 127 overflows.
    body.set([0x7f, 0x7f], 41);
    const r = await post(body);
    record('vector decoding to ±Infinity', '400', [r.status]);
    expect([r.status, r.json.code]).toEqual([400, 'payload/value']);
    expect(await (await store()).counts()).toEqual({ profiles: 0, receipts: 0 });
  });

  it('accepts the served basis and the random projection (0), and refuses any other version', async () => {
    await start();
    const statuses: number[] = [];
    for (const v of [2, 7, 65_535]) {
      const r = await post(sync(v, { basisVersion: v, pseudoId: hexId(v) }));
      statuses.push(r.status);
      expect([r.status, r.json.code], `version ${v}`).toEqual([400, 'payload/basis']);
    }
    const served = await post(sync(1, { basisVersion: 1, pseudoId: hexId(1) }));
    const random = await post(sync(0, { basisVersion: 0, pseudoId: hexId(1000) }));
    record('basis version nobody serves (2, 7, 65535)', '400×3', statuses);
    record('served basis (1) and random projection (0)', '201×2', [served.status, random.status]);
    expect([served.status, random.status]).toEqual([201, 201]);
    expect((await (await store()).counts()).profiles).toBe(2);
  });

  it('charges preflights and refused origins to the address limit', async () => {
    await start({ ipPerMinute: 3 });
    const pre = (origin: string) =>
      send('OPTIONS', '/v1/profile', undefined, { origin, 'access-control-request-method': 'POST' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await pre('http://shop.test')).status);
    for (let i = 0; i < 3; i++) statuses.push((await pre('http://evil.test')).status);
    record('preflights ×3, then a refused origin ×3 (3/min)', '204×3, 429×3', statuses);
    expect(statuses).toEqual([204, 204, 204, 429, 429, 429]);
    await collector.close();
    await start({ ipPerMinute: 3 });
    const evil: number[] = [];
    for (let i = 0; i < 5; i++) evil.push((await pre('http://evil.test')).status);
    record('refused origin ×5 (3/min)', '403×3, 429×2', evil);
    expect(evil).toEqual([403, 403, 403, 429, 429]);
  });

  it('serves stats and metrics only with the admin token; health stays open', async () => {
    await start();
    const statuses: number[] = [];
    for (const path of ['/v1/stats', '/v1/metrics']) {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong' },
        { authorization: `Bearer ${ADMIN}x` },
      ];
      for (const headers of attempts) {
        const r = await send('GET', path, undefined, headers);
        statuses.push(r.status);
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.text).not.toContain('portrait_profiles');
      }
    }
    // The token in the query string would land in proxies' logs: only the header counts.
    const query = await send('GET', `/v1/stats?token=${ADMIN}`);
    const ok = await send('GET', '/v1/stats', undefined, { authorization: `Bearer ${ADMIN}` });
    const metrics = await send('GET', '/v1/metrics', undefined, { authorization: `Bearer ${ADMIN}` });
    const health = await send('GET', '/v1/health');
    record('stats, metrics: no / wrong admin token', '401×6', statuses);
    record('stats: admin token in ?token=', '401', [query.status]);
    record('stats, metrics with the admin token; health without', '200×3', [ok.status, metrics.status, health.status]);
    expect(query.status).toBe(401);
    expect([ok.status, metrics.status, health.status]).toEqual([200, 200, 200]);
    expect(ok.json).toEqual({ profiles: 0, receipts: 0 });
    expect(metrics.text).toContain('portrait_profiles 0');
  });

  it('closes a slow body and slow headers after their timeouts, and caps connections', async () => {
    await start({ headersTimeoutMs: 500, requestTimeoutMs: 1_000, maxConnections: 4 });
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    // Resolves with the milliseconds until the server ended the connection, and what it said.
    const until = (s: Socket) =>
      new Promise<{ ms: number; said: string }>((resolve) => {
        const t0 = Date.now();
        let said = '';
        s.on('data', (b: Buffer) => {
          said += b.toString();
        });
        s.on('error', () => {});
        s.on('close', () => resolve({ ms: Date.now() - t0, said }));
      });
    const body = sync(0);
    const slowBody = await open();
    slowBody.write(`POST /v1/profile HTTP/1.1\r\nhost: x\r\ncontent-length: ${body.length}\r\n\r\n`);
    // One byte every 200 ms would take 25 s for the whole payload.
    const drip = setInterval(() => slowBody.writable && slowBody.write(body.subarray(0, 1)), 200);
    const slowHeaders = await open();
    slowHeaders.write('GET /v1/health HTTP/1.1\r\nhost: x\r\n');
    const [b, h] = await Promise.all([until(slowBody), until(slowHeaders)]);
    clearInterval(drip);
    record('body dripped 1 B / 200 ms; headers never finished', '408 (or 0: closed silently)', [
      Number(b.said.slice(9, 12)) || 0,
      Number(h.said.slice(9, 12)) || 0,
    ]);
    // The server's check runs every `connectionsCheckingInterval`; allow one interval of slack.
    expect(b.ms).toBeLessThan(4_000);
    expect(h.ms).toBeLessThan(4_000);
    expect(b.said === '' || b.said.startsWith('HTTP/1.1 408')).toBe(true);
    expect(h.said === '' || h.said.startsWith('HTTP/1.1 408')).toBe(true);
    expect(await (await store()).counts()).toEqual({ profiles: 0, receipts: 0 });

    const held = await Promise.all(Array.from({ length: 4 }, open));
    const extra = await open();
    const refused = await until(extra);
    record('5th connection with 4 allowed', '0 (closed, no answer)', [Number(refused.said.slice(9, 12)) || 0]);
    expect(refused.said).toBe('');
    expect(refused.ms).toBeLessThan(1_000);
    for (const s of held) s.destroy();
    // Once they are gone the collector serves again.
    await new Promise((r) => setTimeout(r, 100));
    expect((await send('GET', '/v1/health')).status).toBe(200);
  }, 20_000);
});
