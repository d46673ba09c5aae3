import { decodePayload } from '@portrait/core';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { SPORTS, view } from '../engine/catalogue.ts';
import { ingest, start } from '../engine/scenario.ts';
import { expect, type SeenRequest, test } from '../fixtures.ts';
import { ownCollector } from '../own-collector.ts';

// The page side of sync in real Chromium, against a collector of this test's own (with the demo
// catalogue imported by the real model): segments and privacy-mode re-ranking on the device, the
// collector's ranking, and erasure with the ownership token (sent only in a header).
const own = ownCollector('sync', { catalogue: true });

test('on-device segments and re-ranking, collector ranking, erasure with the token; no token in any URL', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const seen: SeenRequest[] = [];
  context.on('request', (req) => {
    if (req.url().startsWith(own.url))
      seen.push({ url: req.url(), method: req.method(), headers: req.headers(), body: req.postDataBuffer() });
  });
  const { store } = await own.collector.ready;
  await start(page, {
    collectorUrl: own.url,
    syncMinDistance: 0,
    segments: ['home baristas', 'trail runners', 'new parents'],
    segmentThreshold: 0,
  });
  for (const t of SPORTS) await ingest(page, [view(t, 'Sports > Running')]);
  await expect.poll(async () => (await store.counts()).profiles, { timeout: 30_000 }).toBe(1);
  const pseudoId = (await page.evaluate(() => window.engine.pseudonymousId())) as { ok: true; value: string };

  // Segments are computed here from the merchant's texts; the risk byte is exposed to the page.
  const segments = await page.evaluate(() => window.engine.segments());
  expect(segments.ok && segments.value[0]?.text).toBe('trail runners');
  const risk = await page.evaluate(() => window.engine.risk());
  expect(risk.ok && risk.value?.history).toBe(SPORTS.length);
  expect(risk.ok && risk.value?.score).toBeLessThanOrEqual(255);

  const category = (id: string) => SEED_PRODUCTS.find((p) => p.id === id)?.category ?? '';
  // Collector mode: the collector ranks against the vector it stores; the token goes in a header.
  const fromServer = await page.evaluate(() => window.engine.recommend(5));
  expect(fromServer.ok).toBe(true);
  const serverIds = fromServer.ok ? fromServer.value.map((r) => r.id) : [];
  expect(serverIds.length).toBe(5);
  expect(serverIds.filter((id) => category(id).startsWith('Home > Kitchen'))).toEqual([]);

  // Privacy mode: candidates come down, the ranking happens here; sports first on this profile.
  const ranked = await page.evaluate(() => window.engine.rerank(5));
  expect(ranked.ok).toBe(true);
  const ids = ranked.ok ? ranked.value.map((r) => r.id) : [];
  expect(ids.length).toBe(5);
  expect(category(ids[0] as string)).toMatch(/^(Sports|Outdoors|Books > Sports)/);
  expect(ids.filter((id) => category(id).startsWith('Home > Kitchen'))).toEqual([]);

  // Erasure proves ownership with the token and removes the row.
  const forgot = await page.evaluate(() => window.engine.forget());
  expect(forgot).toEqual({ ok: true, value: { collector: 'erased' } });
  expect(await store.get(pseudoId.value)).toBeUndefined();

  // Everything that went to the collector: the basis and candidates (GET, no body), payloads,
  // and the erasure. No token in any URL, no cookies, no referrer.
  for (const req of seen) {
    const u = new URL(req.url);
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers.referer ?? '').toBe('');
    expect(u.searchParams.has('token')).toBe(false);
    if (req.method === 'OPTIONS') continue;
    if (req.method === 'GET') {
      expect(u.pathname).toMatch(/^\/v1\/(basis|candidates|recommendations|catalogue-vectors\/.+)$/);
      // Only the recommendation request has a query: which id, how many.
      expect([...u.searchParams.keys()].sort()).toEqual(u.pathname === '/v1/recommendations' ? ['id', 'k'] : []);
      continue;
    }
    if (req.method === 'DELETE') {
      expect(u.pathname).toBe(`/v1/profile/${pseudoId.value}`);
      continue;
    }
    expect(u.pathname).toBe('/v1/profile');
    expect([...u.searchParams.keys()]).toEqual([]);
    const d = decodePayload(new Uint8Array(req.body ?? Buffer.alloc(0)));
    expect(d.ok).toBe(true);
    expect(req.body?.length).toBeLessThanOrEqual(128);
  }
});
