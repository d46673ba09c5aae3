import type { Page } from '@playwright/test';
import {
  DEMO_URL,
  expect,
  portraitCommand,
  type StoredCapture,
  storedEvents,
  test,
  trackMarker,
  workerSettled,
} from '../fixtures.ts';

// The demo shop with the tag installed from the merchant snippet: data-portrait-* cards on the
// listing, JSON-LD plus GA4 pushes on product pages.
const ofType = async (page: Page, type: string) => (await storedEvents(page)).filter((e) => e.type === type);
const impressionsOf = async (page: Page, id: string) =>
  (await ofType(page, 'impression')).filter((e: StoredCapture) => e.product?.id === id).length;

/**
 * Waits until the browser has reported the card at least half in view (or not). The tag's
 * observer uses the same threshold, and the browser updates every observer in one rendering step,
 * so the tag has then seen the card arrive (or leave) too.
 */
function cardShown(page: Page, index: number, shown: boolean) {
  return page.evaluate(
    ([i, want]) =>
      new Promise<void>((resolve) => {
        const io = new IntersectionObserver(
          (entries) => {
            if (entries.some((e) => e.isIntersecting && e.intersectionRatio >= 0.5) !== want) return;
            io.disconnect();
            resolve();
          },
          { threshold: 0.5 },
        );
        io.observe(document.querySelectorAll('.card')[i] as Element);
      }),
    [index, shown] as const,
  );
}

/** Scrolls so that `fraction` of the card's height shows at the bottom of the viewport. */
function showCard(page: Page, index: number, fraction: number) {
  return page.evaluate(
    ([i, f]) => {
      const card = document.querySelectorAll('.card')[i] as HTMLElement;
      const top = card.getBoundingClientRect().top + scrollY;
      scrollTo(0, top + card.offsetHeight * f - innerHeight);
    },
    [index, fraction] as const,
  );
}

test('impressions need half the card visible for a full second, once per page view', async ({ page, pageErrors }) => {
  await page.setViewportSize({ width: 420, height: 360 });
  await page.goto(`${DEMO_URL}/`);
  const ids = await page.$$eval('.card', (cards) => cards.map((c) => c.getAttribute('data-portrait-product') ?? ''));
  const last = ids.length - 1;
  const middle = Math.floor(ids.length / 2);
  const lastId = ids[last] as string;
  const middleId = ids[middle] as string;

  // Something above the fold is counted once the worker is up.
  await expect.poll(async () => (await ofType(page, 'impression')).length, { timeout: 15_000 }).toBeGreaterThan(0);

  // Fully in view, but for less than a second: no impression.
  await showCard(page, last, 1);
  await cardShown(page, last, true);
  // The time in view is what is under test: no signal can stand for "less than a second".
  await page.waitForTimeout(400);
  await page.evaluate(() => scrollTo(0, 0));
  await cardShown(page, last, false);

  // A third in view for two seconds: below the 50 % rule.
  await showCard(page, middle, 0.3);
  // Again the time in view is under test: two seconds, twice the rule's second.
  await page.waitForTimeout(2_000);
  // Both cards' second is long over, and everything captured until now is stored: neither counted.
  await trackMarker(page);
  expect(await impressionsOf(page, lastId)).toBe(0);
  expect(await impressionsOf(page, middleId)).toBe(0);

  // Two thirds in view for a second and a half: counted.
  await showCard(page, middle, 0.7);
  await expect.poll(() => impressionsOf(page, middleId), { timeout: 5_000 }).toBe(1);

  // Held in view: counted; scrolled away and back again: still once.
  await showCard(page, last, 1);
  await expect.poll(() => impressionsOf(page, lastId), { timeout: 5_000 }).toBe(1);
  await page.evaluate(() => scrollTo(0, 0));
  await cardShown(page, last, false);
  await showCard(page, last, 1);
  await cardShown(page, last, true);
  // In view again for twice the rule's second (the time in view is under test), then all of it stored.
  await page.waitForTimeout(2_000);
  await trackMarker(page);
  expect(await impressionsOf(page, lastId)).toBe(1);
  expect(pageErrors).toEqual([]);
});

test('product link clicks, product views, add-to-cart, checkout and search become typed events', async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(120_000);
  await page.goto(`${DEMO_URL}/`);
  await workerSettled(page);
  // Ctrl+click opens the product in a new tab (as comparing shoppers do), so this page stays and
  // its worker stores the click; a same-tab navigation races the worker's teardown (see README).
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.click('.card[data-portrait-product="run-002"] a', { modifiers: ['Control'] }),
  ]);
  await tab.close();
  await expect.poll(async () => (await ofType(page, 'click')).length, { timeout: 10_000 }).toBe(1);
  expect((await ofType(page, 'click'))[0]?.product).toMatchObject({ id: 'run-002', title: 'Road racing flats' });

  await page.goto(`${DEMO_URL}/p/run-002.html`);
  await expect.poll(async () => (await ofType(page, 'view')).length, { timeout: 15_000 }).toBe(1);
  const [view] = await ofType(page, 'view');
  expect(view?.product).toMatchObject({ id: 'run-002', title: 'Road racing flats', brand: 'Stridewell', price: 109 });

  await page.click('button.buy');
  await page.click('button.checkout');
  await expect.poll(async () => (await ofType(page, 'begin_checkout')).length, { timeout: 10_000 }).toBe(1);
  // The button (data-portrait-action) and the shop's GA4 push are one add-to-cart, not two.
  expect(await ofType(page, 'add_to_cart')).toEqual([
    expect.objectContaining({ product: expect.objectContaining({ id: 'run-002' }), quantity: 1 }),
  ]);

  // The header search is a plain GET form: the results page reads the query from its URL.
  await page.fill('.search input', 'waterproof jacket');
  await page.press('.search input', 'Enter');
  await page.waitForURL('**/?q=*');
  await expect
    .poll(async () => (await ofType(page, 'search')).map((e) => e.query), { timeout: 10_000 })
    .toEqual(['waterproof jacket']);
  expect(pageErrors).toEqual([]);
});

test("portrait('forget') empties the worker's IndexedDB", async ({ page }) => {
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  await expect.poll(async () => (await storedEvents(page)).length, { timeout: 15_000 }).toBeGreaterThan(0);
  const wiped = await portraitCommand(page, 'forget');
  expect(wiped).toBe(true);
  expect(await storedEvents(page)).toEqual([]);
});

test("portrait('forget') asks the collector to erase the synced profile", async ({ page, collectorRequests }) => {
  test.setTimeout(90_000);
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  // A synced profile first (the model has to load), so there is something on the server to erase.
  await expect
    .poll(() => collectorRequests.filter((r) => r.method === 'POST' && r.url.endsWith('/v1/profile')).length, {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  await portraitCommand(page, 'forget');
  expect(await storedEvents(page)).toEqual([]);
  await expect
    .poll(() => collectorRequests.filter((r) => r.method === 'DELETE').map((r) => new URL(r.url).pathname), {
      timeout: 10_000,
    })
    .toEqual([expect.stringMatching(/^\/v1\/profile\/[0-9a-f]+$/)]);
});
