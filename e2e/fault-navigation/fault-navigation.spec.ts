import { recordFault } from '../fault-ledger.ts';
import { DEMO_URL, expect, type PortraitCommand, storedEvents, storedProfile, test } from '../fixtures.ts';

// A shopper who moves on before a page's worker is up. The browser ends a page's worker with the
// page, so whatever the tag holds at pagehide (events never posted, or posted and not yet
// acknowledged) is kept in the tab's sessionStorage and goes to the worker from the next page.
// The worker script is held back (its request never answered) on the first three pages, so no
// worker there ever stores anything: the events can only arrive through that copy.

const PAGES = ['run-001', 'hike-001', 'aud-001'] as const;

test('three pages left before their worker started (worker script held back): every event reaches the profile from the fourth page, once', async ({
  page,
  context,
  pageErrors,
}, testInfo) => {
  test.setTimeout(120_000);
  let hold = true;
  let held = 0;
  await context.route(`${DEMO_URL}/portrait/portrait-worker.js`, (route) => {
    if (!hold) return route.fallback();
    held++;
    // Left unanswered: the page goes while its worker is still loading.
    return undefined;
  });

  for (const [i, product] of PAGES.entries()) {
    await page.goto(`${DEMO_URL}/p/${product}.html`);
    // The tag replaced the snippet's queue: its automatic view of the page is captured.
    await page.waitForFunction(() => {
      const p = (window as unknown as { portrait?: PortraitCommand & { q?: unknown } }).portrait;
      return typeof p === 'function' && !('q' in p);
    });
    await page.evaluate(
      (n) =>
        (window as unknown as { portrait: PortraitCommand }).portrait('track', 'like', {
          product: { id: `nav-${n}`, title: `Liked item ${n}`, category: 'Sports > Running' },
        }),
      i,
    );
    // Long enough for the page to ask for its worker, far too short for a held one to load.
    await expect.poll(() => held, { timeout: 10_000 }).toBeGreaterThan(i);
  }
  expect(await storedEvents(page)).toEqual([]);

  hold = false;
  await page.goto(`${DEMO_URL}/p/cof-001.html`);
  // Each held page: its view, the shop's like, and the dwell its pagehide recorded; then page 4's view.
  const expected = [...PAGES.flatMap((p, i) => [`view:${p}`, `like:nav-${i}`, `dwell:${p}`]), 'view:cof-001'];
  const key = (e: { type: string; product?: { id: string } }) => `${e.type}:${e.product?.id}`;
  await expect
    .poll(
      async () => {
        const applied = (await storedEvents(page)).filter((e) => e.applied === 1).map(key);
        return expected.filter((k) => !applied.includes(k));
      },
      { timeout: 60_000 },
    )
    .toEqual([]);

  const events = await storedEvents(page);
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  const count = (await storedProfile(page))?.count ?? 0;
  const applied = events.filter((e) => e.applied === 1);
  expect(count).toBe(applied.length);
  expect(pageErrors).toEqual([]);

  const types = new Map<string, number>();
  for (const e of events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
  await recordFault(testInfo, {
    fault: 'left 3 pages before their worker started (worker script held)',
    // Every event the tag captured arrived (the named ones above plus the product cards'
    // impressions); lost counts the named ones missing.
    eventsIn: events.length,
    eventsReflected: count,
    syncsAcked: 0,
    lost: expected.filter((k) => !applied.map(key).includes(k)).length,
    duplicated: count - new Set(applied.map((e) => e.id)).size,
    note: `${held} worker loads held, nothing stored before page 4; then ${[...types].map(([t, n]) => `${n} ${t}`).join(', ')}, each applied once`,
  });
});
