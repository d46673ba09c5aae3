import { recordFault } from '../fault-ledger.ts';
import { COLLECTOR_URL, DEMO_URL, expect, test } from '../fixtures.ts';
import {
  allApplied,
  drainOutbox,
  measure,
  outbox,
  routeCollector,
  storedEvents,
  trackView,
  watchHandedEvents,
} from './demo-device.ts';

// A shopper offline for a whole visit of the demo shop, back online on a later visit. The browser
// context is offline before the first page; the shop's own files (pages, tag, worker, model) are
// served by the test runner through `route`, as the browser's cache or a service worker would
// serve them, so nothing but the shop itself is reachable: the collector is not.

test('offline for a whole visit (context offline before the first page), then a later visit online: the latest profile is acknowledged once, every event applied once', async ({
  page,
  context,
  collectorRequests,
}, testInfo) => {
  test.setTimeout(120_000);
  const handed = await watchHandedEvents(context);

  // 1. Offline from the start; the shop's files come from the runner, as from a cache. The
  // collector is not routed: its requests fail as the offline browser makes them.
  await context.setOffline(true);
  await context.route(`${DEMO_URL}/**`, async (route) => route.fulfill({ response: await route.fetch() }));
  const answered: number[] = [];
  context.on('response', (res) => {
    if (res.url().startsWith(COLLECTOR_URL)) answered.push(res.status());
  });
  const offlinePages = [
    ['run-001', 'trail-2', 'Trail running gaiters', 'Sports > Running > Accessories'],
    ['hike-001', 'hike-9', 'Insulated hiking flask', 'Outdoors > Hiking > Gear'],
    ['aud-001', 'aud-9', 'Noise cancelling earbuds', 'Electronics > Audio'],
  ] as const;
  for (const [product, id, title, category] of offlinePages) {
    const before = handed.size;
    await page.goto(`${DEMO_URL}/p/${product}.html`);
    // This page's own view reached its worker (earlier pages' events are in `handed` already).
    await expect.poll(() => handed.size, { timeout: 30_000 }).toBeGreaterThan(before);
    await trackView(page, id, title, category);
    await expect.poll(() => handed.size, { timeout: 30_000 }).toBeGreaterThan(before + 1);
    // Stored and folded on the device before the page goes.
    await allApplied(page, handed);
  }
  // One pending sync for the profile; the collector answered nothing while offline.
  await expect.poll(async () => (await outbox(page)).length, { timeout: 30_000 }).toBe(1);
  const offlineAttempts = collectorRequests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/profile')).length;
  expect(answered).toEqual([]);
  const offlineEvents = (await storedEvents(page)).length;

  // 2. A later visit, online: the shop from its server again, the collector reachable (routed
  // only to record what reaches it).
  await context.unrouteAll({ behavior: 'wait' });
  await context.setOffline(false);
  const collector = await routeCollector(context);
  await page.goto(`${DEMO_URL}/p/cof-001.html`);
  await expect.poll(async () => (await storedEvents(page)).length, { timeout: 30_000 }).toBeGreaterThan(offlineEvents);
  await allApplied(page, handed);
  await drainOutbox(page);
  expect(collector.attempts.length).toBeGreaterThan(0);
  const row = await measure(page, handed, collector.attempts);

  await recordFault(testInfo, {
    fault: 'offline whole visit, online later visit',
    ...row,
    note: `${offlineEvents} events offline over ${offlinePages.length} pages, ${offlineAttempts} sync attempts failed offline, 1 pending sync; then ${collector.attempts.length} sync(s) online, the latest stored once`,
  });
});
