import { decodeBasisFile, decodePayload, payloadBytes } from '@portrait/core';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, test } from '../fixtures.ts';

const PRODUCT = { id: 'run-001', title: 'Trail running shoes' };

test('a product view goes page → worker → IndexedDB → collector, and only the compact payload leaves', async ({
  page,
  collectorRequests,
  pageErrors,
}) => {
  await page.goto(`${DEMO_URL}/p/${PRODUCT.id}.html`);

  // (a) The event is in IndexedDB, read with the raw API from the page (folded once the model
  // has loaded, which on a cold cache and two shared cores can take well over 5 s).
  await expect
    .poll(
      async () => (await readIndexedDb(page, 'portrait', 'events')) as { product?: { id: string }; applied: number }[],
      { timeout: 45_000 },
    )
    .toContainEqual(expect.objectContaining({ product: expect.objectContaining({ id: PRODUCT.id }), applied: 1 }));

  // (b) The collector received a sync (the POST, not just the CORS preflight)...
  await expect.poll(() => collectorRequests.filter((r) => r.method === 'POST').length).toBeGreaterThan(0);
  // ...and stored it.
  await expect
    .poll(async () => ((await (await fetch(`${COLLECTOR_URL}/v1/stats`)).json()) as { profiles: number }).profiles)
    .toBeGreaterThan(0);

  // (c) Every request to the collector is a bare compact payload.
  for (const req of collectorRequests) {
    const url = new URL(req.url);
    expect(url.search).toBe('');
    expect(req.headers.cookie).toBeUndefined();
    // No-referrer policy: the shop page's URL never travels with the vector.
    expect(req.headers.referer ?? '').toBe('');
    if (req.method === 'OPTIONS') continue;
    if (req.method === 'GET') {
      // The worker fetches the published PCA basis and the catalogue's manifest and shards
      // (content-named, each of at least 64 items): requests with nothing of the shopper in them.
      expect(url.pathname).toMatch(/^\/v1\/(basis|catalogue-vectors\/(manifest\.json|[\w.-]+\/\d+\.bin))$/);
      expect(req.body).toBeNull();
      continue;
    }
    expect(req.method).toBe('POST');
    if (url.pathname === '/v1/aggregate') {
      // The demo's holdout and milestone sums (demo/src/client/holdout.ts): named counters only.
      const counters = JSON.parse(req.body?.toString() ?? '{}') as Record<string, unknown>;
      for (const [k, v] of Object.entries(counters)) {
        expect(k).toMatch(/^(on|off)(Impressions|Clicks)$|^pages[135](Profile)?$/);
        expect(Number.isInteger(v)).toBe(true);
      }
      continue;
    }
    expect(url.pathname).toBe('/v1/profile');
    const body = req.body ?? Buffer.alloc(0);
    const text = body.toString('latin1');
    expect(text).not.toContain(PRODUCT.title);
    expect(text).not.toContain(PRODUCT.id);
    expect(text).not.toContain('http');
    // Decoding consumes every byte: there is no room for anything but the declared fields.
    const decoded = decodePayload(new Uint8Array(body));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      const { vectors } = decoded.payload;
      expect(body.length).toBe(payloadBytes(vectors.map((v) => v.length)));
      // The default layout: long 64, short 8, top centroid 8, in 127 bytes, projected with the
      // collector's published basis (version 2: the one fitted on the demo catalogue it imports).
      expect(vectors.map((v) => v.length)).toEqual([64, 8, 8]);
      expect(body.length).toBeLessThanOrEqual(128);
      expect(decoded.payload.basisVersion).toBe(2);
      expect(Object.keys(decoded.payload).sort()).toEqual(
        [
          'basisVersion',
          'flags',
          'idempotencyKey',
          'modelHash',
          'pseudoId',
          'risk',
          'segments',
          'timestamp',
          'vectors',
        ].sort(),
      );
    }
  }
  const basis = decodeBasisFile(new Uint8Array(await (await fetch(`${COLLECTOR_URL}/v1/basis`)).arrayBuffer()));
  expect(basis.ok && basis.file.basis.version).toBe(2);
  expect(pageErrors).toEqual([]);
});
