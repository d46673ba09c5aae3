import type { Page, Worker } from '@playwright/test';
import { recordFault } from '../fault-ledger.ts';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, test, trackMarker } from '../fixtures.ts';

// The worker dies in the middle of a batch: the tag must notice (a ping it does not answer), start
// a new worker and hand it every event the dead one did not acknowledge. The worker stores events
// by id and folds each under its `applied` flag, so the resent batch is folded once, not twice.

type W = { portrait: (...a: unknown[]) => Promise<unknown> };
type Status = {
  state: string;
  model: { state: string };
  pendingEvents: number;
  profileEvents: number;
};
type Stored = { id: string; applied: 0 | 1; seq?: number; product?: { id: string } };
type Profile = { modelId: string; count: number };

const status = (page: Page) => page.evaluate(() => (window as unknown as W).portrait('status')) as Promise<Status>;
const events = async (page: Page) => (await readIndexedDb(page, 'portrait', 'events')) as Stored[];

// Views through the tag's public command queue, as the shop's own code would send them.
const track = (page: Page, ids: string[]) =>
  page.evaluate((list) => {
    for (const id of list)
      (window as unknown as W).portrait('track', 'view', {
        product: { id, title: `Trail running socks ${id}`, category: 'Sports > Running > Socks' },
      });
  }, ids);

test('worker crash mid-fold (it calls self.close() inside the profile lock; injected in the worker): tag restarts it, the interrupted batch and the events sent meanwhile fold once', async ({
  page,
  context,
  pageErrors,
}) => {
  test.setTimeout(90_000);
  const acked: number[] = [];
  context.on('response', (res) => {
    const req = res.request();
    if (req.method() === 'POST' && req.url().startsWith(`${COLLECTOR_URL}/v1/profile`) && res.ok())
      acked.push(Date.now());
  });
  const workers: Worker[] = [];
  page.on('worker', (w) => {
    if (w.url().includes('portrait-worker')) workers.push(w);
  });

  // 1. A shopper on a product page: the tag captures the view and impressions, which fold from
  // the shop's catalogue vectors (the socks below are not in it: they will need the model).
  await page.goto(`${DEMO_URL}/p/run-001.html`);
  await expect
    .poll(async () => (await status(page))?.state, { timeout: 60_000, message: 'worker ready' })
    .toBe('ready');
  await expect.poll(async () => (await status(page))?.pendingEvents, { timeout: 30_000 }).toBe(0);
  await expect.poll(() => acked.length, { timeout: 30_000, message: 'first sync acknowledged' }).toBeGreaterThan(0);
  // Impressions of the page's cards keep arriving for a moment after the view: a marker stored
  // means everything captured before it is stored too, so `before` is the whole first visit.
  await trackMarker(page);
  await expect.poll(async () => (await status(page))?.pendingEvents, { timeout: 30_000 }).toBe(0);
  const before = await events(page);
  expect(before.length).toBeGreaterThan(0);
  expect(workers).toHaveLength(1);
  const first = workers[0] as Worker;

  // 2. The crash: the next fold takes the profile lock and the worker closes itself inside it,
  // after the batch was stored and before it was applied (the fold's one write transaction).
  await first.evaluate(() => {
    const locks = navigator.locks;
    const request = locks.request.bind(locks) as (name: string, cb: () => Promise<unknown>) => Promise<unknown>;
    (locks as unknown as { request: typeof request }).request = (name) =>
      request(name, async () => {
        self.close();
        await new Promise(() => {});
      });
  });
  const closed = new Promise<void>((resolve) => first.once('close', () => resolve()));
  const batchB = ['crash-b1', 'crash-b2', 'crash-b3', 'crash-b4', 'crash-b5'];
  await track(page, batchB);
  await closed;
  const ackedBeforeRestart = acked.length;

  // The interrupted batch is on disk, not yet in the profile.
  const atCrash = await events(page);
  const b = atCrash.filter((e) => batchB.includes(e.product?.id ?? ''));
  expect(b.map((e) => e.applied)).toEqual([0, 0, 0, 0, 0]);

  // 3. While no worker runs, the page keeps capturing: these go to the dead worker first.
  const batchC = ['crash-c1', 'crash-c2', 'crash-c3'];
  await track(page, batchC);

  // 4. The tag replaces the worker and the new one folds everything, each event once.
  await expect.poll(() => workers.length, { timeout: 30_000, message: 'a second worker' }).toBe(2);
  const expected = before.length + batchB.length + batchC.length;
  await expect
    .poll(
      async () => {
        const s = await status(page);
        return s && { pending: s.pendingEvents, profile: s.profileEvents };
      },
      { timeout: 45_000 },
    )
    .toEqual({ pending: 0, profile: expected });
  // The new worker's profile reaches the collector.
  await expect
    .poll(() => acked.length, { timeout: 30_000, message: 'sync after the restart' })
    .toBeGreaterThan(ackedBeforeRestart);

  const after = await events(page);
  const ids = new Set(after.map((e) => e.id));
  const wanted = [...before.map((e) => e.product?.id), ...batchB, ...batchC];
  const appliedProducts = after.filter((e) => e.applied === 1).map((e) => e.product?.id);
  const lost = wanted.filter((id) => !appliedProducts.includes(id)).length;
  const seqs = after.map((e) => e.seq);
  const profile = ((await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])[0];
  // Each event is stored once (ids are the store's keys) and numbered once as it reached the profile.
  expect(after).toHaveLength(expected);
  expect(ids.size).toBe(expected);
  expect(new Set(seqs).size).toBe(expected);
  expect(profile?.count).toBe(expected);
  expect(workers).toHaveLength(2);
  expect(pageErrors).toEqual([]);

  await recordFault(test.info(), {
    fault: 'worker crash mid-fold (self.close in the profile lock)',
    eventsIn: wanted.length,
    eventsReflected: after.filter((e) => e.applied === 1).length,
    syncsAcked: acked.length,
    lost,
    duplicated: Math.max(0, (profile?.count ?? 0) - ids.size),
    note: `1 restart; batch of ${batchB.length} stored before the crash, ${batchC.length} sent while dead`,
  });
});
