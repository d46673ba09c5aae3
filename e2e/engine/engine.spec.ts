import type { Page } from '@playwright/test';
import { expect, readIndexedDb, test } from '../fixtures.ts';
import { KITCHEN, SPORTS, view } from './catalogue.ts';
import { ingest, interestShift, start, storedProfile } from './scenario.ts';

test('WASM: sports then kitchen moves the top interest; short-term turns faster; survives reload', async ({ page }) => {
  test.setTimeout(180_000);
  await interestShift(page, 'wasm');
});

test('three tabs with 50 events each end with one profile that counted all 150', async ({ context }) => {
  test.setTimeout(240_000);
  const pages = await Promise.all([0, 1, 2].map(() => context.newPage()));
  for (const p of pages) await start(p);
  await Promise.all(
    pages.map(async (p, tab) => {
      for (let i = 0; i < 50; i += 5) {
        const batch = Array.from({ length: 5 }, (_, k) =>
          view(`${(tab ? KITCHEN : SPORTS)[(i + k) % 10]} ${tab}-${i + k}`, 'x'),
        );
        expect((await ingest(p, batch)).ok).toBe(true);
      }
    }),
  );
  await expect.poll(async () => (await storedProfile(pages[0] as Page))?.count, { timeout: 60_000 }).toBe(150);
  const events = (await readIndexedDb(pages[0] as Page, 'portrait', 'events')) as { applied: number }[];
  expect(events.length).toBe(150);
  expect(events.every((e) => e.applied === 1)).toBe(true);
});

test('bad input through the comlink API is rejected with reasons and never changes the profile', async ({ page }) => {
  await start(page);
  await ingest(page, [view(SPORTS[0] as string, 'Sports')]);
  const before = await storedProfile(page);
  const huge = 'x'.repeat(1_000_000);
  const r = await page.evaluate(
    (h) =>
      window.engine.ingest([
        'not an event',
        { type: 'view' },
        { id: 'a', type: 'teleport', ts: 1, product: { id: 'p' } },
        { id: 'b', type: 'view', ts: Number.NaN, product: { id: 'p' } },
        { id: 'c', type: 'view', ts: 1, product: { id: 7 * Number.NaN } },
        { id: 'd', type: 'search', ts: 1, query: 42 },
        { id: h, type: 'view', ts: 1, product: { id: 'p' } },
      ]),
    huge,
  );
  expect(r.ok).toBe(true);
  if (r.ok) {
    expect(r.value.accepted).toBe(0);
    expect(r.value.rejected.length).toBe(7);
  }
  const notArray = await page.evaluate(() => window.engine.ingest({ length: 3 } as unknown as unknown[]));
  expect(notArray.ok && notArray.value.rejected[0]?.reason).toContain('array');
  const badForget = await page.evaluate(() => window.engine.forgetSince('yesterday' as unknown as number));
  expect(badForget).toMatchObject({ ok: false, error: { code: 'worker/bad-argument' } });
  const after = await storedProfile(page);
  expect(after?.count).toBe(before?.count);
  expect(Array.from(after?.long ?? [])).toEqual(Array.from(before?.long ?? []));
});
