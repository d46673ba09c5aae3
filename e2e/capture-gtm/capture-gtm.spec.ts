import {
  expect,
  SCENARIO_URL,
  type StoredCapture,
  setPageVisibility,
  storedEvents,
  test,
  trackMarker,
} from '../fixtures.ts';

// A bare static page: schema.org JSON-LD and a GTM-style dataLayer only, no data-portrait-*,
// under a strict CSP. Every capture path must land in the worker's event log as a typed event.
const PAGE = `${SCENARIO_URL}/capture-gtm/index.html`;
const byType = (events: StoredCapture[], type: string) => events.filter((e) => e.type === type);

test('JSON-LD and GA4 dataLayer pushes become typed events, with GTM untouched', async ({ page, pageErrors }) => {
  await page.goto(PAGE);
  await page.click('#buy');
  await page.click('#related a >> nth=0');
  await page.click('#pay');
  await page.fill('#search input', 'red tent');
  await page.press('#search input', 'Enter');

  await expect.poll(async () => (await storedEvents(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(9);
  const events = await storedEvents(page);
  const tent = { id: 'TENT-9', title: 'Alpine dome tent', brand: 'Summit', category: 'Outdoor > Tents', price: 349 };
  // The page product comes from JSON-LD (it outranks the dataLayer's view_item).
  expect(byType(events, 'view')).toEqual([expect.objectContaining({ product: tent })]);
  expect(
    byType(events, 'impression')
      .map((e) => e.product?.id)
      .sort(),
  ).toEqual(['MAT-4', 'STOVE-2']);
  expect(byType(events, 'add_to_cart')).toEqual([
    expect.objectContaining({ product: expect.objectContaining({ id: 'TENT-9' }), quantity: 1 }),
  ]);
  expect(byType(events, 'click')).toEqual([
    expect.objectContaining({ product: expect.objectContaining({ id: 'STOVE-2', title: 'Titanium camping stove' }) }),
  ]);
  expect(byType(events, 'purchase')).toEqual([
    expect.objectContaining({ product: expect.objectContaining({ id: 'TENT-9' }) }),
  ]);
  // The form submit and the shop's own `search` push are one search, not two.
  const queries = byType(events, 'search').map((e) => e.query);
  expect(queries).toContain('red tent');
  expect(queries.filter((q) => q === 'red tent')).toHaveLength(1);
  // Stub calls made before the tag loaded were replayed, and PII scrubbed on the main thread.
  expect(queries).toContain('tents, mail me at [email]');
  expect(byType(events, 'like')).toEqual([expect.objectContaining({ product: { id: 'TENT-9' } })]);

  // GTM still saw every push, in order, and push still returns GTM's own value.
  const gtm = await page.evaluate(() => {
    const w = window as unknown as { dataLayer: { push: (x: unknown) => unknown }; __gtmSeen: { event?: string }[] };
    const returned = w.dataLayer.push({ event: 'after_test' });
    return { returned, seen: w.__gtmSeen.map((i) => i.event).filter(Boolean) };
  });
  expect(gtm.returned).toBe('gtm-processed');
  expect(gtm.seen).toEqual([
    'view_item',
    'view_item_list',
    'add_to_cart',
    'select_item',
    'purchase',
    'search',
    'after_test',
  ]);
  expect(await page.evaluate(() => (window as unknown as { __errors: string[] }).__errors)).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __onerror: number }).__onerror)).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('dwell counts visible, active time only and is handed over on pagehide', async ({ page }) => {
  await page.goto(PAGE);
  // Let the worker start (after load + idle) so the pagehide batch has somewhere to go.
  await expect.poll(async () => byType(await storedEvents(page), 'view').length, { timeout: 15_000 }).toBe(1);
  await page.mouse.move(10, 10);
  // Dwell is elapsed time: each fixed wait below is a span it measures, so no signal can replace it.
  await page.waitForTimeout(1_000); // visible and active: counts
  await setPageVisibility(page, false);
  await page.waitForTimeout(3_000); // hidden: must not count
  await setPageVisibility(page, true);
  await page.waitForTimeout(1_000); // visible again: counts
  // The page's scroll events, as the tag's capturing window listener saw them just before this one.
  await page.evaluate(() => {
    const w = window as unknown as { __scrolledTo: number };
    w.__scrolledTo = scrollY;
    addEventListener('scroll', () => {
      w.__scrolledTo = scrollY;
    });
  });
  await page.mouse.wheel(0, 2_000);
  await page.waitForFunction(
    () =>
      (window as unknown as { __scrolledTo: number }).__scrolledTo >=
      Math.min(2_000, document.documentElement.scrollHeight - innerHeight) - 1,
  );
  // The page's pagehide, without the unload behind it: this asserts the tag's side (end the view,
  // hand the batch over). Whether a worker outlives its document long enough to store a batch
  // posted during a real unload is the worker's side, and not reliable today (see the report).
  await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
  await expect.poll(async () => byType(await storedEvents(page), 'dwell').length, { timeout: 10_000 }).toBe(1);
  const [dwell] = byType(await storedEvents(page), 'dwell');
  expect(dwell?.product?.id).toBe('TENT-9');
  // About 2.3 s visible; the 3 s hidden are not in it.
  expect(dwell?.dwellMs).toBeGreaterThan(1_800);
  expect(dwell?.dwellMs).toBeLessThan(3_500);
  expect(dwell?.scrollDepth).toBeGreaterThan(0.5);
});

test('two tabs of one shop share one event log; every event lands exactly once', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await a.goto(PAGE);
  await b.goto(PAGE);
  for (const p of [a, b]) {
    await p.click('#buy');
    await p.click('#pay');
  }
  // Per tab: view, 2 impressions, like, scrubbed search, add_to_cart, purchase.
  await expect.poll(async () => (await storedEvents(a)).length, { timeout: 15_000 }).toBe(14);
  // Once each tab's marker is stored, everything either tab captured before it is stored too.
  const markers = [await trackMarker(a), await trackMarker(b)];
  const all = await storedEvents(b);
  expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
  const events = all.filter((e) => !markers.includes(e.product?.id ?? ''));
  expect(events).toHaveLength(14);
  expect(byType(events, 'purchase')).toHaveLength(2);
});
