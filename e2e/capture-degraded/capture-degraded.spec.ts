import { expect, SCENARIO_URL, storedEvents, test } from '../fixtures.ts';

// Browsers (or privacy modes) without the APIs the tag uses: it must degrade to a debug message
// and a no-op, never an error in the page, and the shop's dataLayer must keep working.
const PAGE = `${SCENARIO_URL}/capture-privacy/index.html?log-level=debug`;
type W = { portrait: (...a: unknown[]) => unknown; dataLayer: { push: (x: unknown) => unknown } };

test('no IntersectionObserver, no Worker, no requestIdleCallback: debug messages, no errors, no-op', async ({
  page,
  pageErrors,
}) => {
  const debug: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'debug') debug.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.IntersectionObserver;
    delete w.Worker;
    delete w.requestIdleCallback;
  });
  await page.goto(PAGE);
  await page.click('button');
  await page.click('a');
  const calls = await page.evaluate(async () => {
    const w = window as unknown as W;
    w.portrait('track', 'like', { product: { id: 'LAMP-1' } });
    return {
      status: await w.portrait('status'),
      forgot: await w.portrait('forget'),
      pushed: w.dataLayer.push({ event: 'x' }),
    };
  });
  // The tag made the (absent) dataLayer, and a push onto it is still a plain array push.
  expect(calls).toEqual({ status: undefined, forgot: false, pushed: 1 });
  // The tag tried to start its worker and gave up: nothing is left that could store an event.
  await expect.poll(() => debug.join('\n')).toContain('no worker');
  expect(debug.join('\n')).toContain('no IntersectionObserver');
  expect(page.workers()).toEqual([]);
  expect(await storedEvents(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});

test('a worker that fails to start leaves the page unharmed', async ({ page, pageErrors }) => {
  await page.route('**/portrait/portrait-worker.js', (r) => r.fulfill({ status: 404, body: '' }));
  await page.goto(PAGE);
  await page.click('button');
  const forgot = await page.evaluate(() => (window as unknown as W).portrait('forget'));
  expect(forgot).toBe(false);
  // The failed worker load is a network 404 Chromium logs, not an error of the page's own scripts.
  expect(pageErrors.filter((e) => !e.includes('404'))).toEqual([]);
  expect(await page.evaluate(() => document.querySelector('h1')?.textContent)).toBe('Brass desk lamp');
});
