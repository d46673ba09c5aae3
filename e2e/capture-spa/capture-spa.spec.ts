import { expect, SCENARIO_URL, storedEvents, test } from '../fixtures.ts';

test('createPortrait in an SPA: each route is a page view; history keeps working for the app', async ({
  page,
  pageErrors,
}) => {
  await page.goto(`${SCENARIO_URL}/capture-spa/index.html`);
  await page.click('a[href$="ski-1"]');
  const views = async () =>
    (await storedEvents(page))
      .filter((e) => e.type === 'view')
      .sort((a, b) => a.ts - b.ts)
      .map((e) => e.product?.id);
  await expect.poll(views, { timeout: 15_000 }).toEqual(['ski-1']);
  // Input while ski-1's view is open (stored above, so its dwell clock has been running a while).
  await page.mouse.move(5, 5);
  await page.click('#next');
  await expect(page.locator('h1')).toHaveText('Ski skins');
  // The tag reads the new route's product once the app rendered it: wait for that view, not a guess.
  await expect.poll(views, { timeout: 10_000 }).toEqual(['ski-1', 'ski-2']);
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
