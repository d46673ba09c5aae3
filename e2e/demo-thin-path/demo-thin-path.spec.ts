import { decodePayload, PAYLOAD_HEADER_BYTES } from '@portrait/core';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, test } from '../fixtures';

const PRODUCT = { id: 'run-001', title: 'Trail running shoes' };

test('a product view goes page → worker → IndexedDB → collector, and only the compact payload leaves', async ({
  page,
  collectorRequests,
  pageErrors,
}) => {
  await page.goto(`${DEMO_URL}/p/${PRODUCT.id}.html`);

  // (a) The event is in IndexedDB, read with the raw API from the page.
  await expect
    .poll(
      async () => (await readIndexedDb(page, 'portrait', 'events')) as { product?: { id: string }; applied: number }[],
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
    expect(req.method).toBe('POST');
    expect(url.pathname).toBe('/v1/profiles');
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
      expect(body.length).toBe(PAYLOAD_HEADER_BYTES + vectors.length * (4 + (vectors[0]?.length ?? 0)));
      expect(Object.keys(decoded.payload).sort()).toEqual(
        ['basisVersion', 'flags', 'idempotencyKey', 'modelHash', 'pseudoId', 'timestamp', 'vectors'].sort(),
      );
    }
  }
  expect(pageErrors).toEqual([]);
});
