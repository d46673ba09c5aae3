import type { Page } from '@playwright/test';
import { recordFault } from '../fault-ledger.ts';
import {
  type Attempt,
  allApplied,
  drainOutbox,
  measure,
  outbox,
  routeCollector,
  storedEvents,
  trackView,
  watchHandedEvents,
} from '../fault-offline/demo-device.ts';
import { DEMO_URL, expect, test } from '../fixtures.ts';

// The demo shop with its collector failing, injected with `route` on the collector's URL: down
// (connection refused), slow (10 s before it answers), 500s, 429 with Retry-After. The worker's
// specified behaviour (packages/worker/src/sync/outbox.ts): one pending sync per profile, a newer one
// replacing it; failures back off exponentially with equal jitter (at least 2 s, 4 s, 8 s, …
// after the 1st, 2nd, 3rd failure), a Retry-After holds every send until it expires, and a new
// page visit sends what is pending at once.

/** Samples the outbox while `ms` pass; returns the largest it got. */
async function outboxBound(page: Page, ms: number) {
  let max = 0;
  const until = Date.now() + ms;
  while (Date.now() < until) {
    max = Math.max(max, (await outbox(page)).length);
    // A bound over a span of time is sampled: no event marks "the outbox grew", so this is the rate.
    await page.waitForTimeout(500);
  }
  return max;
}

const WINDOW_MS = 15_000;

for (const fault of ['down', '500'] as const) {
  const what = fault === 'down' ? 'down (connection refused)' : 'answering 500';
  test(`collector ${what} (injected): exponential backoff, one pending sync, the latest acknowledged once it is back`, async ({
    page,
    context,
  }, testInfo) => {
    test.setTimeout(90_000);
    const handed = await watchHandedEvents(context);
    const collector = await routeCollector(context, fault, Number.POSITIVE_INFINITY);
    await page.goto(`${DEMO_URL}/p/run-001.html`);
    await expect.poll(() => collector.attempts.length, { timeout: 60_000 }).toBeGreaterThan(0);
    const t0 = collector.attempts[0]?.at as number;
    // The shopper keeps browsing this page: each view folds and queues a newer sync.
    await trackView(page, 'trail-2', 'Trail running gaiters', 'Sports > Running > Accessories');
    const bound1 = await outboxBound(page, 4_000);
    await trackView(page, 'trail-3', 'Running headlamp', 'Sports > Running > Accessories');
    const bound2 = await outboxBound(page, t0 + WINDOW_MS - Date.now());
    const inWindow = collector.attempts.filter((a) => a.at < t0 + WINDOW_MS);
    // 2 s, 4 s, 8 s at least between attempts: no more than 4 in 15 s (t0, ≥2, ≥6, ≥14).
    expect(inWindow.length).toBeLessThanOrEqual(4);
    inWindow.slice(1).forEach((a, i) => {
      const gap = a.at - (inWindow[i] as Attempt).at;
      expect(gap, `gap after failure ${i + 1}`).toBeGreaterThanOrEqual(1000 * 2 ** (i + 1) - 200);
    });
    expect(inWindow.every((a) => a.injected === fault)).toBe(true);
    // Bounded: one pending sync for the one profile, however many views queued one.
    expect(Math.max(bound1, bound2)).toBe(1);
    // Nothing lost meanwhile: every view is folded on the device.
    await allApplied(page, handed);

    // The collector is back; the shopper opens another page, whose worker sends what is pending.
    collector.faultsLeft = 0;
    await page.goto(`${DEMO_URL}/p/hike-001.html`);
    await drainOutbox(page);
    const row = await measure(page, handed, collector.attempts);
    await recordFault(testInfo, {
      fault: `collector ${fault === 'down' ? 'down' : '500s'} (injected)`,
      ...row,
      note: `${inWindow.length} requests in ${WINDOW_MS / 1000} s (gaps ${inWindow
        .slice(1)
        .map((a, i) => ((a.at - (inWindow[i] as Attempt).at) / 1000).toFixed(1))
        .join(', ')} s); outbox max 1`,
    });
  });
}

test('collector 429 with Retry-After: 5 (injected): nothing sent before it expires, not a newer profile nor a forced flush', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(90_000);
  const handed = await watchHandedEvents(context);
  const collector = await routeCollector(context, '429', 2, 5);
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  await expect.poll(() => collector.attempts.length, { timeout: 60_000 }).toBeGreaterThan(0);
  // During the wait: a newer profile is queued, and the page asks for a flush.
  await trackView(page, 'trail-2', 'Trail running gaiters', 'Sports > Running > Accessories');
  await page.evaluate(() =>
    (window as unknown as { portrait: (...a: unknown[]) => unknown }).portrait('call', 'flush'),
  );
  await expect.poll(() => collector.attempts.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
  const [a0, a1, a2] = collector.attempts as [Attempt, Attempt, Attempt];
  expect([a0.injected, a1.injected, a2.injected]).toEqual(['429', '429', undefined]);
  const gaps = [a1.at - a0.at, a2.at - a1.at];
  for (const g of gaps) expect(g).toBeGreaterThanOrEqual(5_000 - 200);
  await expect.poll(() => a2.status, { timeout: 20_000 }).toBe(201);
  await drainOutbox(page);
  const row = await measure(page, handed, collector.attempts);
  await recordFault(testInfo, {
    fault: 'collector 429 + Retry-After: 5 (injected)',
    ...row,
    note: `gaps after each 429: ${gaps.map((g) => (g / 1000).toFixed(1)).join(', ')} s; ${collector.attempts.length} requests in all`,
  });
});

test('collector slow, 10 s before it answers (injected): one request in flight, events stored and folded meanwhile, the newer profile follows', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(90_000);
  const handed = await watchHandedEvents(context);
  const collector = await routeCollector(context, 'slow', 1);
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  await expect.poll(() => collector.attempts.length, { timeout: 60_000 }).toBeGreaterThan(0);
  const t0 = collector.attempts[0]?.at as number;
  // While the collector sits on the first sync, the shopper keeps browsing.
  await trackView(page, 'trail-2', 'Trail running gaiters', 'Sports > Running > Accessories');
  await trackView(page, 'trail-3', 'Running headlamp', 'Sports > Running > Accessories');
  // Stored and folded on the device at once, not queued behind the pending request…
  await expect
    .poll(async () => {
      const stored = await storedEvents(page);
      return [...handed].every((id) => stored.some((e) => e.id === id));
    })
    .toBe(true);
  await allApplied(page, handed);
  // …while the first sync was still unanswered.
  expect(collector.attempts[0]?.status).toBeUndefined();
  await expect.poll(() => collector.attempts[0]?.status, { timeout: 20_000 }).toBe(201);
  // No second request went out while the first was pending.
  expect(collector.attempts.filter((a) => a.at < t0 + 10_000).length).toBe(1);
  await drainOutbox(page);
  const row = await measure(page, handed, collector.attempts);
  // The first sync was the slow one; the views made meanwhile went out after it.
  expect(collector.attempts.length).toBeGreaterThanOrEqual(2);
  await recordFault(testInfo, {
    fault: 'collector slow, 10 s (injected)',
    ...row,
    note: `1 request in flight for 10 s, then ${collector.attempts.length - 1} more; events folded during the wait`,
  });
});
