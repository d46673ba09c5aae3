import { decodePayload } from '@portrait/core';
import { recordFault } from '../fault-ledger.ts';
import {
  COLLECTOR_URL,
  DEMO_URL,
  expect,
  type PortraitCommand as Portrait,
  readIndexedDb,
  type StoredProfile,
  storedProfile,
  test,
} from '../fixtures.ts';

// The device clock jumps: a day back, a week forward, then back to the true time. Playwright's
// clock (`page.clock`) moves the page's Date and timers only; the engine's module worker keeps the
// real clock (measured below from the timestamp it writes into each payload). So the skew reaches
// the engine the way a wrong device clock reaches it in the field through the page: every event
// the tag captures carries the page's timestamp. Decay, the profile's times and sync scheduling
// must stay sane across the jumps.

const DAY = 86_400_000;
const PER_PHASE = 5;
// The engine sends a profile at most every 10 s (SYNC_MIN_INTERVAL_MS in engine.ts).
const SYNC_MIN_INTERVAL_MS = 10_000;
const VIEW_WEIGHT = 0.5;
const PAGE = `${DEMO_URL}/cart.html`;

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
const profileOf = storedProfile;

/** Every number finite, every vector of norm <= 1, weights >= 0, times in order. */
function expectSane(p: StoredProfile) {
  for (const v of [p.long, p.short, ...p.interests.map((i) => i.vector)]) {
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
    expect(norm(v)).toBeLessThanOrEqual(1 + 1e-6);
  }
  for (const w of [p.longWeight, p.shortWeight, ...p.interests.map((i) => i.weight)]) {
    expect(Number.isFinite(w)).toBe(true);
    expect(w).toBeGreaterThanOrEqual(0);
  }
  expect(p.firstAt).toBeLessThanOrEqual(p.updatedAt);
  for (const i of p.interests) expect(i.updatedAt).toBeLessThanOrEqual(p.updatedAt);
}

test('device clock a day back, a week forward, then back: no negative ages, no decay blow-up, no sync burst', async ({
  page,
  collectorRequests,
  pageErrors,
}) => {
  test.setTimeout(90_000);
  const started = Date.now();
  let syncsAcked = 0;
  page.context().on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().startsWith(`${COLLECTOR_URL}/v1/profile`) && r.status() < 300)
      syncsAcked++;
  });
  await page.clock.install();
  await page.goto(PAGE);
  const products = (
    (await (await fetch(`${DEMO_URL}/products.json`)).json()) as {
      id: string;
      title: string;
      category: string;
      department: string;
    }[]
  ).filter((p) => ['Coffee', 'Hiking'].includes(p.department));

  // Each phase sets the page's clock, tracks five views and waits until the profile counts them.
  const phases: { name: string; offset: number; before: StoredProfile | undefined; after: StoredProfile }[] = [];
  let tracked = 0;
  for (const [name, offset] of [
    ['true time', 0],
    ['a day back', -DAY],
    ['a week forward', 7 * DAY],
    ['back to true time', 0],
  ] as const) {
    await page.clock.setSystemTime(Date.now() + offset);
    const before = await profileOf(page);
    for (let k = 0; k < PER_PHASE; k++) {
      const p = products[tracked++] as (typeof products)[number];
      await page.evaluate(
        (product) => (window as unknown as { portrait: Portrait }).portrait('track', 'view', { product }),
        { id: p.id, title: p.title, category: p.category },
      );
    }
    await expect.poll(async () => (await profileOf(page))?.count, { timeout: 60_000 }).toBe(tracked);
    const after = (await profileOf(page)) as StoredProfile;
    expectSane(after);
    phases.push({ name, offset, before, after });
  }
  const [real, back, forward, again] = phases as [(typeof phases)[number], ...(typeof phases)[number][]];

  // The stored events carry the page's skewed timestamps (that is how the skew reaches the engine).
  const events = (await readIndexedDb(page, 'portrait', 'events')) as { ts: number; applied: number }[];
  expect(events.length).toBe(tracked);
  expect(events.every((e) => e.applied === 1)).toBe(true);
  const minTs = Math.min(...events.map((e) => e.ts));
  const maxTs = Math.max(...events.map((e) => e.ts));
  expect(minTs).toBeLessThan(started - DAY / 2);
  expect(maxTs).toBeGreaterThan(started + 6 * DAY);

  const added = PER_PHASE * VIEW_WEIGHT;
  // A day back: older than the profile, so no gap (no negative age): no decay, no growth beyond
  // the events' own weight; updatedAt never moves back, firstAt does.
  expect(back?.after.longWeight).toBeCloseTo((back?.before?.longWeight ?? 0) + added, 9);
  expect(back?.after.updatedAt).toBe(back?.before?.updatedAt);
  expect(back?.after.firstAt).toBeLessThan(real.after.firstAt);
  // A week forward: one long-term half-life passes, once (the accumulated weight halves before the
  // five views add theirs), and the short-term weight is all but gone.
  const w = forward?.before?.longWeight ?? 0;
  expect(forward?.after.longWeight).toBeCloseTo(w / 2 + added, 3);
  expect(forward?.after.shortWeight).toBeLessThanOrEqual(added + 1e-9);
  expect(forward?.after.shortWeight).toBeGreaterThan(added * 0.9);
  expect(forward?.after.updatedAt).toBeGreaterThan(started + 6 * DAY);
  // Back to true time: the clock jumped back a week; no gap, no decay, updatedAt stays put.
  expect(again?.after.longWeight).toBeCloseTo((again?.before?.longWeight ?? 0) + added, 9);
  expect(again?.after.updatedAt).toBe(forward?.after.updatedAt);

  // Sync scheduling runs on the worker's clock: no burst across the jumps.
  const posts = collectorRequests.filter((r) => r.method === 'POST' && r.url.startsWith(`${COLLECTOR_URL}/v1/profile`));
  const elapsed = Date.now() - started;
  expect(posts.length).toBeGreaterThan(0);
  expect(posts.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / SYNC_MIN_INTERVAL_MS));
  // Which clock the worker keeps: the payload timestamp is the worker's Date.now() in seconds.
  const stamps = posts.flatMap((r) => {
    const d = decodePayload(new Uint8Array(r.body ?? []));
    return d.ok ? [d.payload.timestamp * 1000] : [];
  });
  expect(stamps.length).toBe(posts.length);
  const workerSkewMs = Math.max(...stamps.map((s) => Math.abs(s - started)));
  expect(workerSkewMs).toBeLessThan(elapsed + 1000);

  await recordFault(test.info(), {
    fault: 'clock skew: -1 day, +7 days, back (page clock)',
    eventsIn: tracked,
    eventsReflected: again?.after.count ?? 0,
    syncsAcked,
    lost: tracked - events.length,
    duplicated: (again?.after.count ?? 0) - events.length,
    note: `${posts.length} syncs in ${Math.round(elapsed / 1000)} s; worker clock stayed true (page.clock does not reach workers)`,
  });
  expect(pageErrors).toEqual([]);
});
