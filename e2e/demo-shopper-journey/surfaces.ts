import type { BrowserContext, Page, TestInfo } from '@playwright/test';
import { expect } from '../fixtures.ts';

// What the demo's recommendation specs share: reading a surface's cards, a record of when each
// surface changed (kept by the page itself, so a change is timed where it happened, not when the
// test happened to look), the within-a-second check on it, and screenshots at both widths.

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Every list the shop fills on the device, by its `data-surface` name. */
export const SURFACES = [
  'for-you-home',
  'for-you-department',
  'related',
  'bought-together',
  'cross-sell',
  'after-order',
  'search-results',
] as const;
export type Surface = (typeof SURFACES)[number];

const gridOf = (surface: Surface) => `[data-surface="${surface}"] .grid`;

/** The cards a surface shows now, as "<id> <reason>". */
export const cardIds = (page: Page, surface: Surface) =>
  page
    .locator(`${gridOf(surface)} .card`)
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-portrait-product')} ${e.querySelector('.reason')?.textContent ?? ''}`),
    );

/** One state of a surface, as the page saw it: when (the page's clock, ms since epoch) and its cards. */
export interface SurfaceChange {
  surface: string;
  at: number;
  visible: boolean;
  cards: string[];
}

/**
 * Makes every page of the context log each change of each surface (its cards, reasons and
 * visibility) from a MutationObserver, with `Date.now()` at the change: the same clock the tag
 * stamps its events with, and the test's (one machine).
 */
export async function recordSurfaceChanges(context: BrowserContext) {
  await context.addInitScript(() => {
    const log: { surface: string; at: number; visible: boolean; cards: string[] }[] = [];
    (window as unknown as { __surfaceLog: typeof log }).__surfaceLog = log;
    const last = new Map<string, string>();
    const scan = () => {
      for (const section of document.querySelectorAll<HTMLElement>('[data-surface]')) {
        const surface = section.dataset.surface ?? '';
        const cards = [...section.querySelectorAll('.grid .card')].map(
          (c) => `${c.getAttribute('data-portrait-product')} ${c.querySelector('.reason')?.textContent ?? ''}`,
        );
        const visible = !section.hidden;
        const key = `${visible}|${cards.join('|')}`;
        if (last.get(surface) === key) continue;
        last.set(surface, key);
        log.push({ surface, at: Date.now(), visible, cards });
      }
    };
    const observer = new MutationObserver(scan);
    const start = () => {
      scan();
      observer.observe(document.body, {
        childList: true,
        subtree: true,
        attributes: true,
        attributeFilter: ['hidden'],
      });
    };
    if (document.body) start();
    else document.addEventListener('DOMContentLoaded', start);
  });
}

/** This page's surface log (since it loaded). */
export const surfaceLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { __surfaceLog?: SurfaceChange[] }).__surfaceLog ?? []);

/**
 * Waits until `surface` shows a list, with a reason on every card, that differs from `before`
 * (and that `accept` takes: "more coffee than before"),
 * drawn no later than 1 s after `since` (the behaviour's moment, on the page's clock: a click, or
 * the tag's timestamp on the event). The poll's own timeout is what is left of that second, and
 * the change's time is the page's, so neither a slow test nor a sleep can stretch it. Answers the
 * change and how long after `since` it came.
 */
export async function changedWithinASecond(
  page: Page,
  surface: Surface,
  since: number,
  before: readonly string[],
  what = '',
  accept: (cards: readonly string[]) => boolean = () => true,
): Promise<{ change: SurfaceChange; ms: number }> {
  const differs = (c: SurfaceChange) =>
    c.surface === surface &&
    accept(c.cards) &&
    c.visible &&
    c.cards.length > 0 &&
    c.cards.every((x) => !x.endsWith(' ')) &&
    c.cards.join('|') !== before.join('|');
  const first = async () => (await surfaceLog(page)).find((c) => c.at >= since && differs(c));
  try {
    await expect
      .poll(async () => !!(await first()), {
        message: `${surface} changed within 1 s of ${what || 'the behaviour'}`,
        timeout: Math.max(1, since + 1000 - Date.now()),
        intervals: [50],
      })
      .toBe(true);
  } catch (e) {
    // What the surface did instead, for the report: each state and when, relative to the behaviour.
    const seen = (await surfaceLog(page)).filter((c) => c.surface === surface);
    console.log(
      `[surfaces] ${surface} did not change within 1 s of ${what}; its states: ${seen.map((c) => `${c.at - since} ms ${c.visible ? '' : '(hidden) '}${c.cards.join(' | ')}`).join(' ;; ')}`,
    );
    throw e;
  }
  const change = (await first()) as SurfaceChange;
  const ms = change.at - since;
  console.log(`[surfaces] ${surface} changed ${ms} ms after ${what}: ${change.cards.join(' | ')}`);
  expect(ms, `${surface} after ${what}`).toBeLessThanOrEqual(1000);
  return { change, ms };
}

/** A full-page screenshot at desktop and phone widths, kept in the test's output folder and attached. */
export async function shots(page: Page, testInfo: TestInfo, name: string, fullPage = true): Promise<string[]> {
  const paths: string[] = [];
  for (const [width, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage });
    await testInfo.attach(`${name}-${width}`, { path, contentType: 'image/png' });
    paths.push(path);
  }
  await page.setViewportSize(DESKTOP);
  return paths;
}
