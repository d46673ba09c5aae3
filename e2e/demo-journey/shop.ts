import type { Page, TestInfo } from '@playwright/test';
import { PRODUCTS } from '../../demo/src/products.ts';
import { DEMO_URL, expect, readIndexedDb } from '../fixtures.ts';

// What the journey specs share: the products a shopper browses, waiting for the device to have
// learned from a view, reading the drawer, and screenshots kept as test artifacts.

export const inDepartment = (label: string, n: number) =>
  PRODUCTS.filter((p) => p.department === label)
    .slice(0, n)
    .map((p) => p.id);

export const departmentOf = (id: string) => PRODUCTS.find((p) => p.id === id)?.department;

interface StoredEvent {
  type: string;
  applied: number;
  product?: { id: string };
}

/**
 * Opens a product page and waits until its view is folded into the profile on the device. A
 * shopper reads a page for a while; leaving at once would cut the worker off mid-download.
 */
export async function browse(page: Page, id: string) {
  await page.goto(`${DEMO_URL}/p/${id}.html`);
  await expect
    .poll(
      async () =>
        ((await readIndexedDb(page, 'portrait', 'events')) as StoredEvent[]).some(
          (e) => e.type === 'view' && e.product?.id === id && e.applied === 1,
        ),
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
}

export async function openDrawer(page: Page) {
  await page.getByRole('button', { name: 'Your profile' }).click();
  await expect(page.getByRole('dialog', { name: 'Your profile' })).toBeVisible();
  await expect(page.locator('.drawer-body section').first()).toBeVisible({ timeout: 15_000 });
}

/** Interest labels of the drawer's short- or long-term chart, strongest first. */
export const interestLabels = (page: Page, kind: 'short' | 'long') =>
  page.locator(`[data-interests="${kind}"] li`).evaluateAll((els) => els.map((e) => e.getAttribute('data-label')));

/** The home page's recommendation modes (their radio labels) and what each says once it has ranked. */
const RANKED_BY = {
  'This session': "Ranked in this page from the shop's own list of what you looked at",
  'Long-term, on device': 'Ranked on this device by your long-term taste',
  "Shop's server": "Ranked by the shop's server",
} as const;
export const RANKINGS = Object.keys(RANKED_BY) as (keyof typeof RANKED_BY)[];

/**
 * Picks a recommendation mode and waits until its list is drawn: until then the grid still holds
 * the previous mode's cards. The status line is written together with the grid (recommendations.ts).
 */
export async function showRanking(page: Page, mode: keyof typeof RANKED_BY) {
  await page.getByLabel(mode).check();
  await expect(page.locator('.recs-status')).toContainText(RANKED_BY[mode], { timeout: 40_000 });
}

/** Departments of the recommendations on the home page, in rank order. */
export const recommendedDepartments = async (page: Page) =>
  (
    await page.locator('.recs-grid .card').evaluateAll((els) => els.map((e) => e.getAttribute('data-portrait-product')))
  ).map((id) => departmentOf(id ?? ''));

/** A screenshot kept as a file in the test's output folder and attached to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
