import { DEMO_URL, expect, readIndexedDb, test } from '../fixtures.ts';
import {
  browse,
  inDepartment,
  interestLabels,
  openDrawer,
  RANKINGS,
  recommendedDepartments,
  shot,
  showRanking,
} from './shop.ts';

// A new shopper in the real demo shop (built pages, the tag from its async snippet, the
// collector with the demo catalogue imported): running first, then kitchen. The drawer and the
// recommendations must follow, the drawer must tell the truth about IndexedDB, and forget must
// leave nothing behind.

test('running then kitchen: interests and recommendations follow; the drawer matches IndexedDB; forget empties it', async ({
  page,
  context,
  pageErrors,
}, testInfo) => {
  test.setTimeout(420_000);
  const failed: string[] = [];
  // A request still in flight when the shopper navigates is cancelled by the browser
  // (ERR_ABORTED): a worker dies with its page, and a sync it was sending stays in the outbox and
  // goes with the next page (same idempotency key). That is the navigation, not a failure: it is
  // printed, not counted. Anything else (refused, reset, HTTP >= 400) fails the test.
  const cancelled: string[] = [];
  context.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    (why === 'net::ERR_ABORTED' ? cancelled : failed).push(`${why} ${r.method()} ${r.url()}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 400) failed.push(`HTTP ${r.status()} ${r.url()}`);
  });

  // 1. Six running products.
  for (const id of inDepartment('Running', 6)) await browse(page, id);
  await page.goto(`${DEMO_URL}/`);
  // Every ranking shows running: this session's, the worker's long-term re-rank, the server's.
  for (const mode of RANKINGS) {
    await showRanking(page, mode);
    await expect
      .poll(async () => (await recommendedDepartments(page)).slice(0, 4), { timeout: 40_000 })
      .toEqual(['Running', 'Running', 'Running', 'Running']);
    await expect(page.locator('.recs-grid .reason').first()).toContainText('Because you looked at');
    await shot(page, testInfo, `home-after-running (${mode})`);
  }
  await showRanking(page, 'This session');
  await openDrawer(page);
  // The drawer's interests are the departments of what the worker ranks highest (rerank): the
  // page gets no profile vector to draw a short-term chart from.
  await expect.poll(async () => (await interestLabels(page, 'long'))[0], { timeout: 15_000 }).toBe('Running');
  await shot(page, testInfo, 'drawer-after-running');

  // The drawer's numbers are what IndexedDB holds (the home page keeps adding impressions, so
  // both are read until they agree on the same state).
  await expect
    .poll(
      async () => {
        const drawer = Number(await page.locator('.stored-count').getAttribute('data-count'));
        const stored = (await readIndexedDb(page, 'portrait', 'events')).length;
        const profile = Number(await page.locator('.profile-count').getAttribute('data-count'));
        const profiles = (await readIndexedDb(page, 'portrait', 'profiles')) as { count: number }[];
        return { drawer, profile, same: drawer === stored && profile === profiles[0]?.count };
      },
      { timeout: 20_000 },
    )
    .toMatchObject({ same: true });
  const drawerEvents = Number(await page.locator('.stored-count').getAttribute('data-count'));
  const syncBytes = Number(await page.locator('.sync-bytes').getAttribute('data-bytes'));
  console.log(`[demo-journey] drawer after running: ${drawerEvents} events, payload ${syncBytes} B`);
  expect(syncBytes).toBeGreaterThan(0);
  await page.keyboard.press('Escape');

  // 2. Eight kitchen products: within those eight events kitchen takes the lead short-term.
  for (const id of inDepartment('Kitchen', 8)) await browse(page, id);
  await page.goto(`${DEMO_URL}/`);
  await expect
    .poll(async () => (await recommendedDepartments(page)).slice(0, 3), { timeout: 30_000 })
    .toEqual(['Kitchen', 'Kitchen', 'Kitchen']);
  await shot(page, testInfo, 'home-after-kitchen (This session)');
  // The long-term rankings weigh the long-term vector first (core compactScore), and eight
  // kitchen views move it too: kitchen leads them as well (the server's once a sync landed).
  for (const mode of RANKINGS.slice(1)) {
    await showRanking(page, mode);
    await expect.poll(async () => (await recommendedDepartments(page))[0], { timeout: 30_000 }).toBe('Kitchen');
    await shot(page, testInfo, `home-after-kitchen (${mode})`);
  }
  await showRanking(page, 'This session');
  await openDrawer(page);
  // The drawer's interests are the worker's long-term ranking, which Kitchen leads by now (above).
  await expect(page.locator('.profile-count')).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => (await interestLabels(page, 'long'))[0], { timeout: 15_000 }).toBe('Kitchen');
  await shot(page, testInfo, 'drawer-after-kitchen');

  // 3. Forget, from the cart (a page without product cards, so no impressions arrive afterwards):
  // the device's data is gone and the drawer says so.
  await page.keyboard.press('Escape');
  await page.goto(`${DEMO_URL}/cart.html`);
  await openDrawer(page);
  await page.getByRole('button', { name: 'Forget everything' }).click();
  await expect(page.locator('.stored-count')).toHaveAttribute('data-count', '0', { timeout: 15_000 });
  expect(await readIndexedDb(page, 'portrait', 'events')).toEqual([]);
  expect(await readIndexedDb(page, 'portrait', 'profiles')).toEqual([]);
  await expect(page.locator('[data-interests]')).toHaveCount(0);
  await shot(page, testInfo, 'drawer-after-forget');

  console.log(`[demo-journey] requests cancelled by navigation: ${cancelled.length ? cancelled.join(', ') : 'none'}`);
  expect(pageErrors).toEqual([]);
  expect(failed).toEqual([]);
});
