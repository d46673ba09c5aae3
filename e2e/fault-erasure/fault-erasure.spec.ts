import { SPORTS, view } from '../engine/catalogue.ts';
import { ingest, start } from '../engine/scenario.ts';
import { recordFault } from '../fault-ledger.ts';
import { expect, test } from '../fixtures.ts';
import { ownCollector } from '../own-collector.ts';

// The shopper's forget() while the collector cannot take the erasure (rate limited, then the tab
// closes): the device is wiped at once, the erasure is kept with its token, and the next page's
// worker completes it against a real collector (SQLite) without any new event.
const own = ownCollector('erasure');

test('erasure refused with 429 (injected), then the tab closed: the next page erases the row without a new event', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(120_000);
  const { store } = await own.collector.ready;
  await start(page, { collectorUrl: own.url, syncMinDistance: 0, syncMinIntervalMs: 0 });
  for (const t of SPORTS) await ingest(page, [view(t, 'Sports > Running')]);
  await expect.poll(async () => (await store.counts()).profiles, { timeout: 30_000 }).toBe(1);
  const id = await page.evaluate(async () => {
    const r = await window.engine.pseudonymousId();
    return r.ok ? r.value : '';
  });
  expect(await store.get(id)).toBeDefined();

  const deletes: number[] = [];
  await context.route(`${own.url}/v1/profile/*`, (route) => {
    if (route.request().method() !== 'DELETE') return route.fallback();
    deletes.push(Date.now());
    return route.fulfill({ status: 429, headers: { 'retry-after': '1', 'access-control-allow-origin': '*' } });
  });
  const forgot = await page.evaluate(() => window.engine.forget());
  // Honest: wiped here, not yet at the collector.
  expect(forgot).toEqual({ ok: true, value: { collector: 'pending' } });
  expect(await store.get(id)).toBeDefined();
  const wiped = await page.evaluate(() => window.engine.status());
  expect(wiped.ok && { stored: wiped.value.storedEvents, profile: wiped.value.profileEvents }).toEqual({
    stored: 0,
    profile: 0,
  });
  await page.close();

  // A later page: its worker retries at start. Nothing is ingested on it.
  await context.unroute(`${own.url}/v1/profile/*`);
  const next = await context.newPage();
  await start(next, { collectorUrl: own.url });
  await expect.poll(async () => store.get(id), { timeout: 30_000 }).toBeUndefined();
  expect(deletes.length).toBeGreaterThanOrEqual(1);

  await recordFault(testInfo, {
    fault: 'erasure refused (429), tab closed',
    eventsIn: SPORTS.length,
    // Forgotten on purpose: the profile must reflect none of them, here or at the collector.
    eventsReflected: 0,
    syncsAcked: 1,
    lost: 0,
    duplicated: 0,
    note: `forget() said "pending"; ${deletes.length} refused DELETE(s); the next page's worker erased the row with no new event`,
  });
});
