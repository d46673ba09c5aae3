import type { AddressInfo } from 'node:net';
import {
  compactVectors,
  DEFAULT_LAYOUT,
  decodeBasisFile,
  decodePayload,
  decodeShard,
  encodePayload,
  fnv1a32,
  PAYLOAD_FLAGS,
  type Payload,
  RISK_UNKNOWN,
  seededRandom,
} from '@portrait/core';
import { SEED_PRODUCTS as CATALOGUE } from '@portrait/fixtures/seed-products';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_ROOT } from './catalogue-import.ts';
import { type Collector, createCollector } from './collector.ts';
import type { CollectorOptions } from './config.ts';
import { demoCatalogue } from './test-support/demo-catalogue.ts';
import { freshDatabase, startPostgres } from './test-support/postgres.ts';

const SECRET = 'test-secret';
const MODEL = fnv1a32('use-lite');
const rand = seededRandom(7);
const ID = 'aa'.repeat(16);
const payload = (over: Partial<Payload> = {}): Payload => ({
  flags: 0,
  modelHash: MODEL,
  basisVersion: 2,
  pseudoId: ID,
  timestamp: 1_780_000_000,
  idempotencyKey: '11'.repeat(8),
  risk: RISK_UNKNOWN,
  vectors: [Float32Array.from({ length: 64 }, () => rand() - 0.5), Float32Array.from({ length: 8 }, () => rand())],
  segments: [],
  ...over,
});

let catalogueDir = '';
let pg: Awaited<ReturnType<typeof startPostgres>>;
let removeCatalogue = async () => {};
beforeAll(async () => {
  let cat: Awaited<ReturnType<typeof demoCatalogue>>;
  [pg, cat] = await Promise.all([startPostgres(), demoCatalogue()]);
  catalogueDir = cat.dir;
  removeCatalogue = cat.remove;
}, 120_000);
afterAll(async () => {
  pg?.stop();
  await removeCatalogue();
});

describe.each(['sqlite', 'postgres'] as const)('collector on %s (real HTTP on loopback)', (adapter) => {
  let collector: Collector;
  let base: string;

  async function start(over: Partial<CollectorOptions> = {}) {
    collector = createCollector({
      ...(adapter === 'postgres' ? { postgresUrl: await freshDatabase(pg.url) } : { dbPath: ':memory:' }),
      allowedOrigins: ['http://shop.test'],
      secret: SECRET,
      adminToken: 'collector-admin',
      catalogueDir,
      logLevel: 'silent',
      ...over,
    });
    await collector.ready;
    await new Promise<void>((r) => collector.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  }
  afterEach(() => collector?.close());

  const post = (body: Uint8Array, token?: string, origin = 'http://shop.test') =>
    fetch(`${base}/v1/profile`, {
      method: 'POST',
      body,
      headers: {
        origin,
        'content-type': 'application/octet-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  const json = async (r: Response) => (await r.json()) as Record<string, unknown>;
  const stored = async (id = ID) => (await collector.ready).store.get(id);

  it('stores a first sync with a token, answers CORS for the shop, and treats a replay as a duplicate', async () => {
    await start();
    const bytes = encodePayload(payload());
    const first = await post(bytes);
    expect(first.status).toBe(201);
    expect(first.headers.get('access-control-allow-origin')).toBe('http://shop.test');
    const { token } = (await first.json()) as { token: string };
    expect(token).toMatch(/^v1\.[0-9a-f]{8}\.[0-9a-z]+\.[\w-]{43}$/);
    const again = await post(bytes, token);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ duplicate: true });
    expect(await (await collector.ready).store.counts()).toEqual({ profiles: 1, receipts: 1 });
    const back = decodePayload((await stored())?.payload ?? new Uint8Array());
    expect(back.ok && back.payload.vectors.map((v) => v.length)).toEqual([64, 8]);
    const pre = await fetch(`${base}/v1/profile`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.test', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('keeps the newer vector when an older payload arrives late', async () => {
    await start();
    const { token } = (await json(await post(encodePayload(payload({ timestamp: 200 }))))) as { token: string };
    const late = await post(encodePayload(payload({ timestamp: 100, idempotencyKey: '33'.repeat(8) })), token);
    expect(await json(late)).toMatchObject({ outcome: 'stale' });
    expect((await stored())?.timestamp).toBe(200);
  });

  it.each([
    ['too short', () => new Uint8Array(12), 400, 'payload/too-short'],
    [
      'another format',
      () => Uint8Array.from(encodePayload(payload()), (b, i) => (i === 0 ? 1 : b)),
      400,
      'payload/version',
    ],
    ['a trailing byte', () => Uint8Array.from([...encodePayload(payload()), 0]), 400, 'payload/size'],
    ['another model', () => encodePayload(payload({ modelHash: 1 })), 400, 'payload/model'],
    [
      'more components than the basis',
      () => encodePayload(payload({ vectors: [new Float32Array(65).fill(1)] })),
      400,
      'payload/dimension',
    ],
    ['an oversized body', () => new Uint8Array(100_000), 413, 'payload/too-large'],
  ])('refuses %s with its status and a reason', async (_name, body, status, code) => {
    await start();
    const r = await post(body());
    expect(r.status).toBe(status);
    expect(await json(r)).toMatchObject({ code });
    expect((await (await collector.ready).store.counts()).profiles).toBe(0);
  });

  it('refuses an oversized chunked body without buffering it', async () => {
    await start();
    const big = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(1000));
        c.close();
      },
    });
    const r = await fetch(`${base}/v1/profile`, { method: 'POST', body: big, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
  });

  it('refuses other origins with 403', async () => {
    await start();
    expect((await post(encodePayload(payload()), undefined, 'http://evil.test')).status).toBe(403);
  });

  it('requires the token for later upserts: missing 401, forged 403, another id’s 403', async () => {
    await start();
    const { token } = (await json(await post(encodePayload(payload())))) as { token: string };
    const next = (key: string, t?: string) =>
      post(encodePayload(payload({ idempotencyKey: key, timestamp: 1_780_000_100 })), t);
    expect((await next('44'.repeat(8))).status).toBe(401);
    expect((await next('55'.repeat(8), 'A'.repeat(43))).status).toBe(403);
    const other = (await json(await post(encodePayload(payload({ pseudoId: 'bb'.repeat(16) }))))) as { token: string };
    expect((await next('66'.repeat(8), other.token)).status).toBe(403);
    expect((await stored())?.timestamp).toBe(1_780_000_000);
    expect((await next('77'.repeat(8), token)).status).toBe(201);
    expect((await stored())?.timestamp).toBe(1_780_000_100);
  });

  it('rate-limits per id and per IP with 429', async () => {
    await start({ idPerMinute: 6 });
    let token: string | undefined;
    let last: Response | undefined;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post(encodePayload(payload({ idempotencyKey: `0${i}`.repeat(8), timestamp: 1000 + i })), token);
      token ??= ((await r.json()) as { token: string }).token;
      statuses.push(r.status);
      last = r;
    }
    // The first sync (tokenless) spends its address's first-sync budget, not the id's burst of 1.
    expect(statuses).toEqual([201, 201, 429]);
    // The shop's worker must be able to read how long to wait (Retry-After is not CORS-safelisted).
    expect(last?.headers.get('retry-after')).toBe('60');
    expect(last?.headers.get('access-control-expose-headers')).toContain('retry-after');
    await collector.close();
    await start({ ipPerMinute: 3 });
    const s: number[] = [];
    for (let i = 0; i < 5; i++) s.push((await fetch(`${base}/v1/health`)).status);
    expect(s).toEqual([200, 200, 200, 429, 429]);
  });

  it('erases a profile only with its token, and the row is gone', async () => {
    await start();
    const { token } = (await json(await post(encodePayload(payload())))) as { token: string };
    const del = (t?: string, id = ID) =>
      fetch(`${base}/v1/profile/${id}`, { method: 'DELETE', headers: t ? { authorization: `Bearer ${t}` } : {} });
    expect((await del()).status).toBe(401);
    expect((await del('x'.repeat(43))).status).toBe(403);
    expect(await stored()).toBeDefined();
    expect((await del(token)).status).toBe(204);
    expect(await stored()).toBeUndefined();
    expect(await (await collector.ready).store.counts()).toEqual({ profiles: 0, receipts: 0 });
    expect((await fetch(`${base}/v1/profile/..%2F..%2Fetc`, { method: 'DELETE' })).status).toBe(400);
  });

  it('ranks sports items above kitchen items for a sports-leaning profile (real model, demo catalogue)', async () => {
    await start();
    const { catalogue } = await collector.ready;
    const root = DEFAULT_MODELS_ROOT;
    const encoder = await loadEncoder({ baseUrl: root, modelId: 'use-lite', device: 'cpu', source: fileSource(root) });
    const [run, hike, shoes] = await encoder.embed([
      'Trail running shoes. Sports > Running > Shoes',
      'Waterproof hiking boots. Outdoors > Hiking > Footwear',
      'Road racing flats. Sports > Running > Shoes',
    ]);
    await encoder.dispose();
    const mean = (vs: Float32Array[]) =>
      Float32Array.from(vs[0] as Float32Array, (_, i) => vs.reduce((s, v) => s + (v[i] as number), 0) / vs.length);
    const long = mean([run, hike, shoes] as Float32Array[]);
    const profile = {
      long,
      short: run as Float32Array,
      interests: [{ vector: shoes as Float32Array, weight: 1, count: 1, updatedAt: 0 }],
    } as unknown as Parameters<typeof compactVectors>[0];
    const vectors = compactVectors(profile, catalogue.basis.basis, DEFAULT_LAYOUT);
    const body = encodePayload(payload({ basisVersion: catalogue.basis.basis.version, vectors }));
    expect(body.length).toBe(127);
    const { token } = (await json(await post(body))) as { token: string };
    const rec = (q: string, t?: string) =>
      fetch(`${base}/v1/recommendations?${q}`, { headers: t ? { authorization: `Bearer ${t}` } : {} });
    expect((await rec(`id=${ID}&k=5`)).status).toBe(401);
    expect((await rec(`id=${ID}&k=5`, 'y'.repeat(43))).status).toBe(403);
    expect((await rec('id=zz&k=5', token)).status).toBe(400);
    const r = await rec(`id=${ID}&k=1000`, token);
    expect(r.status).toBe(200);
    const items = ((await r.json()) as { items: { id: string }[] }).items.map((i) => i.id);
    expect(items.length).toBe(CATALOGUE.length); // k is capped at the catalogue (and at maxK)
    const category = (id: string) => CATALOGUE.find((p) => p.id === id)?.category ?? '';
    const sports = items.map((id, rank) => ({ id, rank })).filter((x) => /^(Sports|Outdoors) /.test(category(x.id)));
    const kitchen = items.map((id, rank) => ({ id, rank })).filter((x) => category(x.id).startsWith('Home > Kitchen'));
    expect(Math.max(...sports.map((s) => s.rank))).toBeLessThan(Math.min(...kitchen.map((k) => k.rank)));
    // A token for an id with no profile yet: 404.
    const { issueToken, tokenKeys } = await import('./token.ts');
    const never = issueToken(tokenKeys(SECRET), 'cc'.repeat(16), Date.now() + 60_000);
    expect((await rec(`id=${'cc'.repeat(16)}`, never)).status).toBe(404);
  }, 60_000);

  it('serves the basis, the catalogue vectors and the re-ranking candidates', async () => {
    await start();
    const basis = await fetch(`${base}/v1/basis`);
    expect(basis.status).toBe(200);
    const b = decodeBasisFile(new Uint8Array(await basis.arrayBuffer()));
    expect(b.ok && b.file.basis.outDim).toBe(64);
    expect(
      (await fetch(`${base}/v1/basis`, { headers: { 'if-none-match': basis.headers.get('etag') ?? '' } })).status,
    ).toBe(304);
    const manifest = (await (await fetch(`${base}/v1/catalogue-vectors/manifest.json`)).json()) as {
      version: string;
      shards: number;
      modelId: string;
    };
    expect(manifest.modelId).toBe('use-lite');
    let total = 0;
    for (let n = 0; n < manifest.shards; n++) {
      const r = await fetch(`${base}/v1/catalogue-vectors/${manifest.version}/${n}.bin`);
      expect(r.headers.get('cache-control')).toContain('immutable');
      const s = decodeShard(new Uint8Array(await r.arrayBuffer()));
      total += s.ok ? s.vectors.size : 0;
    }
    expect(total).toBe(CATALOGUE.length);
    expect((await fetch(`${base}/v1/catalogue-vectors/0`)).status).toBe(200);
    expect((await fetch(`${base}/v1/catalogue-vectors/999`)).status).toBe(404);
    const cand = decodeShard(new Uint8Array(await (await fetch(`${base}/v1/candidates`)).arrayBuffer()));
    expect(cand.ok && cand.vectors.size).toBe(CATALOGUE.length);
  });

  it('accepts segments-only payloads, and reports health and metrics without user data', async () => {
    await start();
    const seg = encodePayload(payload({ flags: PAYLOAD_FLAGS.segments, vectors: [], segments: [1, 4] }));
    expect((await post(seg)).status).toBe(201);
    expect(await json(await fetch(`${base}/v1/health`))).toEqual({ ok: true, storage: adapter });
    const m = await (
      await fetch(`${base}/v1/metrics`, { headers: { authorization: 'Bearer collector-admin' } })
    ).text();
    expect(m).toContain('portrait_profiles 1');
    expect(m).toContain('route="/v1/profile",status="201"');
    expect(m).not.toContain(ID);
  });
});
