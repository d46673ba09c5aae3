import { expect, SCENARIO_URL, storedEvents, test } from '../fixtures';

test('createPortrait in an SPA: each route is a page view; history keeps working for the app', async ({
  page,
  pageErrors,
}) => {
  await page.goto(`${SCENARIO_URL}/capture-spa/index.html`);
  await page.click('a[href$="ski-1"]');
  await expect
    .poll(async () => (await storedEvents(page)).filter((e) => e.type === 'view').length, { timeout: 15_000 })
    .toBe(1);
  await page.mouse.move(5, 5);
  await page.waitForTimeout(500);
  await page.click('#next');
  await expect(page.locator('h1')).toHaveText('Ski skins');
  await page.waitForTimeout(500);
  await page.goBack();
  await expect(page.locator('h1')).toHaveText('Touring skis');

  const flow = async () =>
    (await storedEvents(page))
      .filter((e) => e.type === 'view' || e.type === 'dwell' || e.type === 'click')
      .sort((a, b) => a.ts - b.ts)
      .map((e) => `${e.type}:${e.product?.id}`);
  // Leaving ski-1 for ski-2 ends its view with a dwell; back to ski-1 is a new page view.
  await expect
    .poll(flow, { timeout: 10_000 })
    .toEqual(['click:ski-1', 'view:ski-1', 'dwell:ski-1', 'view:ski-2', 'dwell:ski-2', 'view:ski-1']);

  // The app's own use of history is untouched: state, return value and its popstate handler.
  const host = await page.evaluate(() => {
    const r = history.pushState({ mine: 1 }, '', '/capture-spa/p/ski-2');
    return { ...(r === undefined ? {} : { r }), state: history.state, path: location.pathname };
  });
  expect(host).toEqual({ state: { mine: 1 }, path: '/capture-spa/p/ski-2' });
  expect(pageErrors).toEqual([]);
});
