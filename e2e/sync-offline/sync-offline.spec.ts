import type { Page, Response } from '@playwright/test';
import { decodePayload, type Payload, shardOf } from '@portrait/core';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, storedEvents, test } from '../fixtures.ts';

interface Delivery {
  status: number;
  payload: Payload;
}

interface OutboxRecord {
  idempotencyKey: string;
}

interface ShopProduct {
  id: string;
  title: string;
  category: string;
}

/**
 * Catalogue items in the same shard as `first`: once the device has fetched that shard (online),
 * their views fold from it offline too. Items of another shard would wait for the network.
 */
async function sameShard(first: string, n: number): Promise<ShopProduct[]> {
  const manifest = (await (await fetch(`${COLLECTOR_URL}/v1/catalogue-vectors/manifest.json`)).json()) as {
    shards: number;
  };
  const products = (await (await fetch(`${DEMO_URL}/products.json`)).json()) as ShopProduct[];
  const shard = shardOf(first, manifest.shards);
  return products.filter((p) => p.id !== first && shardOf(p.id, manifest.shards) === shard).slice(0, n);
}

const outbox = async (page: Page) => (await readIndexedDb(page, 'portrait', 'outbox')) as OutboxRecord[];

// Views through the tag's public command queue, as a shop's own code would send them.
const view = (page: Page, id: string, title: string, category: string) =>
  page.evaluate(
    ([i, t, c]) =>
      (window as unknown as { portrait: (...a: unknown[]) => void }).portrait('track', 'view', {
        product: { id: i, title: t, category: c },
      }),
    [id, title, category] as const,
  );

test('offline, online and a reload: the latest profile arrives, exactly once per idempotency key', async ({
  page,
  context,
  collectorRequests,
}) => {
  test.setTimeout(120_000);
  const deliveries: Delivery[] = [];
  const onResponse = async (res: Response) => {
    const req = res.request();
    if (!req.url().startsWith(`${COLLECTOR_URL}/v1/profile`) || req.method() !== 'POST') return;
    const decoded = decodePayload(new Uint8Array(req.postDataBuffer() ?? Buffer.alloc(0)));
    if (decoded.ok) deliveries.push({ status: res.status(), payload: decoded.payload });
  };
  context.on('response', (r) => void onResponse(r));
  // Sends that never reached the collector (offline), by the idempotency key they carried.
  const unsent: string[] = [];
  context.on('requestfailed', (req) => {
    if (!req.url().startsWith(`${COLLECTOR_URL}/v1/profile`) || req.method() !== 'POST') return;
    const decoded = decodePayload(new Uint8Array(req.postDataBuffer() ?? Buffer.alloc(0)));
    if (decoded.ok) unsent.push(decoded.payload.idempotencyKey);
  });
  const stored = (key: string) => deliveries.filter((d) => d.payload.idempotencyKey === key && d.status === 201);

  // 1. Online: the first profile arrives.
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  await expect.poll(() => deliveries.filter((d) => d.status === 201).length, { timeout: 60_000 }).toBeGreaterThan(0);
  await expect.poll(() => outbox(page)).toEqual([]);
  const firstId = deliveries[0]?.payload.pseudoId;
  const [a, b, c] = (await sameShard('run-001', 3)) as [ShopProduct, ShopProduct, ShopProduct];
  const offlineIds = new Set([a.id, b.id]);

  // 2. Offline: new views fold on the device and queue a sync that cannot leave.
  await context.setOffline(true);
  await view(page, a.id, a.title, a.category);
  await view(page, b.id, b.title, b.category);
  await expect.poll(async () => (await outbox(page)).length, { timeout: 30_000 }).toBe(1);
  // The two views may fold one at a time, each replacing the pending sync: read its key after both.
  await expect
    .poll(
      async () =>
        (await storedEvents(page)).filter((e) => offlineIds.has(e.product?.id ?? '') && e.applied === 1).length,
      {
        timeout: 30_000,
      },
    )
    .toBe(2);
  const offlineKey = (await outbox(page))[0]?.idempotencyKey as string;
  expect(stored(offlineKey)).toEqual([]);
  // The worker is up and tried to send that very sync (at its minimum interval), and the send failed.
  await expect.poll(() => unsent.includes(offlineKey), { timeout: 30_000 }).toBe(true);
  // Still queued: one pending sync per profile, nothing delivered while offline.
  expect((await outbox(page)).map((e) => e.idempotencyKey)).toEqual([offlineKey]);
  expect(stored(offlineKey)).toEqual([]);

  // 3. Online again: the queued profile arrives by itself (online event or backoff timer), once.
  await context.setOffline(false);
  await expect.poll(() => stored(offlineKey).length, { timeout: 45_000 }).toBe(1);
  await expect.poll(() => outbox(page)).toEqual([]);

  // 4. Offline, another view, online and reload at once: the reload must not lose it.
  await context.setOffline(true);
  await view(page, c.id, c.title, c.category);
  await expect
    .poll(async () => (await outbox(page))[0]?.idempotencyKey ?? offlineKey, { timeout: 30_000 })
    .not.toBe(offlineKey);
  const beforeReload = (await outbox(page))[0]?.idempotencyKey as string;
  const profileTsBefore = Math.max(...deliveries.map((d) => d.payload.timestamp));
  await context.setOffline(false);
  await page.reload();
  // After the reload the device re-syncs its latest profile (a new key replaces the pending one,
  // or the pending one goes out): either way a profile at least as new as the offline one lands.
  await expect
    .poll(
      () =>
        deliveries.some(
          (d) =>
            d.status === 201 &&
            (d.payload.idempotencyKey === beforeReload || d.payload.timestamp >= profileTsBefore) &&
            deliveries.indexOf(d) >= deliveries.findIndex((x) => x.payload.idempotencyKey === offlineKey) + 1,
        ),
      { timeout: 60_000 },
    )
    .toBe(true);
  await expect.poll(() => outbox(page), { timeout: 30_000 }).toEqual([]);

  // Exactly once per idempotency key: no key was stored twice; replays, if any, were duplicates.
  const keys = deliveries.filter((d) => d.status === 201).map((d) => d.payload.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  for (const d of deliveries) expect([200, 201]).toContain(d.status);
  // One pseudonymous id throughout; every request to the collector decodes or fetches the basis or the catalogue.
  expect(new Set(deliveries.map((d) => d.payload.pseudoId))).toEqual(new Set([firstId]));
  for (const req of collectorRequests) {
    const url = new URL(req.url);
    // aggregate: the demo's holdout and milestone sums (no id; demo/src/client/holdout.ts).
    expect(url.pathname).toMatch(/^\/v1\/(profile|basis|aggregate|catalogue-vectors\/.+)$/);
    expect(req.headers.cookie).toBeUndefined();
    expect(req.headers.referer ?? '').toBe('');
  }
});
