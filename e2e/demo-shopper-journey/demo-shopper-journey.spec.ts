import type { Page } from '@playwright/test';
import { PRODUCTS } from '../../demo/src/products.ts';
import {
  browse,
  departmentOf,
  inDepartment,
  openDrawer,
  recommendedDepartments,
  showRanking,
} from '../demo-journey/shop.ts';
import { DEMO_URL, expect, storedEvents, test } from '../fixtures.ts';
import {
  cardIds,
  changedWithinASecond,
  DESKTOP,
  recordSurfaceChanges,
  type Surface,
  shots,
  surfaceLog,
} from './surfaces.ts';

// Issue 18's shopper journey in the real demo shop (built pages, the tag from its snippet, the
// collector with the shop's catalogue and synthetic order history imported): running, kitchen, a
// search for "espresso", the cart, the checkout. At every step each recommendation surface on the
// page changes within one second of the behaviour, timed by the page itself (surfaces.ts) from
// the tag's own timestamp on the event, or from the click, and every card says why it is shown.
// Screenshots at desktop and phone widths: the product page with its related items, the cart
// with its cross-sell, the shopper's profile page, plus the home page after the search and the
// checkout after the order.

const titleOf = (id: string) => PRODUCTS.find((p) => p.id === id)?.title ?? id;
const idOf = (card: string) => card.split(' ')[0] ?? '';
const reasonOf = (card: string) => card.slice(card.indexOf(' ') + 1);

/** The tag's timestamp on this page's product view: the moment of the behaviour. */
async function viewedAt(page: Page, id: string): Promise<number> {
  const views = (await storedEvents(page)).filter((e) => e.type === 'view' && e.product?.id === id);
  const ts = views.at(-1)?.ts;
  if (ts === undefined) throw new Error(`no stored view of ${id}`);
  return ts;
}

/** What a surface showed first on this page (the static list the shop serves, or nothing). */
async function firstShown(page: Page, surface: Surface): Promise<string[]> {
  return (await surfaceLog(page)).find((c) => c.surface === surface)?.cards ?? [];
}

/** A product page: "Related" and "Often bought together" replace the static list within 1 s of the view. */
async function productPageFollows(page: Page, id: string, timings: string[]) {
  await browse(page, id);
  const at = await viewedAt(page, id);
  for (const surface of ['related', 'bought-together'] as const) {
    const { change, ms } = await changedWithinASecond(page, surface, at, await firstShown(page, surface), `view ${id}`);
    timings.push(`${surface} on ${id}: ${ms} ms`);
    for (const c of change.cards)
      expect(reasonOf(c)).toMatch(/^(Often bought with|Shoppers bought this after|Similar to|Popular|Trending)/);
    expect(change.cards.map(idOf)).not.toContain(id);
  }
  await expect(page.locator('[data-surface="related"]')).toHaveAttribute('data-source', 'device');
  await expect(page.locator('[data-surface="bought-together"] .reason').first()).toHaveText(
    `Often bought with ${titleOf(id)}`,
  );
}

const departments = (cards: readonly string[]) => cards.map((c) => departmentOf(idOf(c)));
const share = (cards: readonly string[], dept: string) =>
  cards.length ? departments(cards).filter((d) => d === dept).length / cards.length : 0;

/** The home page's "for you" once it has drawn (the default mode). */
async function homeForYou(page: Page): Promise<string[]> {
  await expect(page.locator('.recs-status')).toContainText('For you, ranked on this device', { timeout: 40_000 });
  await expect.poll(async () => (await cardIds(page, 'for-you-home')).length, { timeout: 30_000 }).toBeGreaterThan(0);
  return cardIds(page, 'for-you-home');
}

test('running → kitchen → search "espresso" → cart → checkout: every recommendation surface changes within 1 s of the behaviour and says why', async ({
  page,
  context,
  pageErrors,
}, testInfo) => {
  test.setTimeout(600_000);
  await recordSurfaceChanges(context);
  await page.setViewportSize(DESKTOP);
  const timings: string[] = [];
  const running = inDepartment('Running', 3);
  const kitchen = inDepartment('Kitchen', 3);

  // 1. Running: each product page's lists follow the view.
  for (const id of running) await productPageFollows(page, id, timings);
  await page.goto(`${DEMO_URL}/`);
  const afterRunning = await homeForYou(page);
  console.log(`[shopper-journey] home for you after running: ${afterRunning.join(' | ')}`);
  expect(departments(afterRunning)).toContain('Running');
  // The reason names one of the running products the shopper opened (the shop's own list).
  expect(afterRunning.some((c) => running.some((r) => reasonOf(c) === `Because you looked at ${titleOf(r)}`))).toBe(
    true,
  );

  // 2. Kitchen: the same on kitchen pages; one goes into the cart.
  for (const id of kitchen) await productPageFollows(page, id, timings);
  const kitchenInCart = kitchen.at(-1) as string;
  await page.locator('.buy').click();
  await shots(page, testInfo, 'product-page-related');
  // The department page: "For you in Kitchen", each card with its reason.
  const deptOpened = Date.now();
  await page.goto(`${DEMO_URL}/c/kitchen.html`);
  const deptShown = await changedWithinASecond(page, 'for-you-department', deptOpened, [], 'opening Kitchen');
  timings.push(`for-you-department on opening it: ${deptShown.ms} ms`);
  const dept = deptShown.change.cards;
  expect(departments(dept).every((d) => d === 'Kitchen')).toBe(true);
  expect(dept.map(idOf).filter((id) => kitchen.includes(id))).toEqual([]);
  for (const c of dept) expect(reasonOf(c)).not.toBe('');
  // Home: "for you" holds kitchen now; the long-term mode mixes both interests.
  const homeOpened = Date.now();
  await page.goto(`${DEMO_URL}/`);
  // Opened after the kitchen views: the list is drawn within 1 s, already holding kitchen.
  const homeShown = await changedWithinASecond(page, 'for-you-home', homeOpened, afterRunning, 'opening home', (c) =>
    departments(c).includes('Kitchen'),
  );
  timings.push(`for-you-home on opening it after kitchen: ${homeShown.ms} ms`);
  const afterKitchen = await homeForYou(page);
  console.log(`[shopper-journey] home for you after kitchen: ${afterKitchen.join(' | ')}`);
  expect(departments(afterKitchen)).toContain('Kitchen');
  await showRanking(page, 'Long-term, on device');
  await expect
    .poll(() => recommendedDepartments(page), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['Running', 'Kitchen']));
  const longTerm = await recommendedDepartments(page);
  console.log(`[shopper-journey] long-term after running then kitchen: ${longTerm.join(', ')}`);
  // Places by what the shopper browsed (3 and 3): no department they did not open takes one.
  expect(new Set(longTerm)).toEqual(new Set(['Running', 'Kitchen']));
  await page.getByLabel('For you, on device').check();
  const beforeSearch = await homeForYou(page);

  // 3. Search "espresso" from the header: the results come back in the device's order within 1 s
  // of the search (the same results the shop found, each with its reason; e2e/demo-search-rank
  // shows the profile reordering them); "for you" moves toward coffee within 1 s of the search
  // event, and says it follows the search.
  await page.getByRole('searchbox', { name: 'Search products' }).fill('espresso');
  const searchStarted = Date.now();
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await page.waitForURL(/\?q=espresso/);
  const results = await changedWithinASecond(page, 'search-results', searchStarted, [], 'search "espresso"');
  timings.push(`search-results in the device's order after the search: ${results.ms} ms`);
  const shopResults = (
    (await surfaceLog(page)).find((c) => c.surface === 'search-results' && c.cards.length > 0)?.cards ?? []
  ).map(idOf);
  expect(shopResults.length).toBeGreaterThan(0);
  expect(results.change.cards.map(idOf).sort()).toEqual([...shopResults].sort());
  expect(departments(results.change.cards).every((d) => d === 'Coffee')).toBe(true);
  await expect
    .poll(async () => (await storedEvents(page)).some((e) => e.type === 'search' && e.ts >= searchStarted), {
      timeout: 15_000,
    })
    .toBe(true);
  const searchAt = (await storedEvents(page)).filter((e) => e.type === 'search').at(-1)?.ts as number;
  const toCoffee = await changedWithinASecond(
    page,
    'for-you-home',
    searchAt,
    beforeSearch,
    'search "espresso"',
    (cards) => share(cards, 'Coffee') > share(beforeSearch, 'Coffee'),
  );
  timings.push(`for-you-home toward coffee after the search: ${toCoffee.ms} ms`);
  const afterSearch = await cardIds(page, 'for-you-home');
  console.log(
    `[shopper-journey] for you before the search: ${beforeSearch.join(' | ')}; after: ${afterSearch.join(' | ')}`,
  );
  expect(afterSearch.some((c) => reasonOf(c) === 'Because you searched “espresso”')).toBe(true);
  await shots(page, testInfo, 'home-after-search');

  // 4. Cart: an espresso machine from the results, then the cart page's cross-sell covers both
  // items within 1 s of opening it; removing one changes it within 1 s of the click.
  const espresso = PRODUCTS.find((p) => p.department === 'Coffee' && /espresso machine/i.test(p.title))?.id as string;
  await productPageFollows(page, espresso, timings);
  await page.locator('.buy').click();
  const cartOpened = Date.now();
  await page.goto(`${DEMO_URL}/cart.html`);
  const cross = await changedWithinASecond(page, 'cross-sell', cartOpened, [], 'opening the cart');
  timings.push(`cross-sell on opening the cart: ${cross.ms} ms`);
  const reasons = cross.change.cards.map(reasonOf);
  expect(reasons).toContain(`Often bought with ${titleOf(espresso)}`);
  expect(reasons).toContain(`Often bought with ${titleOf(kitchenInCart)}`);
  expect(cross.change.cards.map(idOf)).not.toContain(espresso);
  await shots(page, testInfo, 'cart-cross-sell');
  const removed = Date.now();
  await page.getByRole('button', { name: `Remove ${titleOf(kitchenInCart)}` }).click();
  const afterRemove = await changedWithinASecond(page, 'cross-sell', removed, cross.change.cards, 'removing an item');
  timings.push(`cross-sell after a remove: ${afterRemove.ms} ms`);
  expect(afterRemove.change.cards.map(reasonOf).every((r) => r === `Often bought with ${titleOf(espresso)}`)).toBe(
    true,
  );

  // 5. Checkout: placing the order shows what goes with it within 1 s of the click, and the order
  // summary lists the order (not "your cart is empty").
  await page.goto(`${DEMO_URL}/checkout.html`);
  await page.getByLabel('Name').fill('Ada');
  await page.getByLabel('Postcode').fill('1011');
  const ordered = Date.now();
  await page.getByRole('button', { name: 'Place order' }).click();
  const after = await changedWithinASecond(page, 'after-order', ordered, [], 'placing the order');
  timings.push(`after-order on placing it: ${after.ms} ms`);
  expect(after.change.cards.map(reasonOf)).toContain(`Often bought with ${titleOf(espresso)}`);
  await expect(page.locator('.order-done')).toHaveText(/Thank you/);
  await expect(page.getByRole('button', { name: 'Place order' })).toBeHidden();
  await expect(page.getByRole('region', { name: 'Order summary' })).toContainText(titleOf(espresso));
  await expect(page.getByRole('region', { name: 'Order summary' })).not.toContainText('empty');
  await shots(page, testInfo, 'checkout-after-order');

  // Home after the order: the shop passes its order record, so "for you" may offer the espresso
  // machine again, said as the shop's fact; items only the device saw never come back.
  await page.goto(`${DEMO_URL}/`);
  await homeForYou(page);
  await expect
    .poll(async () => (await cardIds(page, 'for-you-home')).filter((c) => reasonOf(c) === 'You bought this before'), {
      timeout: 10_000,
    })
    .toEqual([`${espresso} You bought this before`]);
  const viewedOnly = [...running, ...kitchen];
  expect((await cardIds(page, 'for-you-home')).map(idOf).filter((id) => viewedOnly.includes(id))).toEqual([]);

  // The shopper's profile page: the departments browsed, why each recommendation is there.
  await openDrawer(page);
  await expect(page.locator('[data-summary]')).toContainText('Kitchen', { timeout: 20_000 });
  await expect(page.locator('.why li').first()).toContainText('because', { timeout: 30_000 });
  await shots(page, testInfo, 'profile-page', false);

  console.log(`[shopper-journey] timings: ${timings.join('; ')}`);
  expect(pageErrors).toEqual([]);
});
