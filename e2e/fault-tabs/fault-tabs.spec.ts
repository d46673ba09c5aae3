import type { BrowserContext, Page } from '@playwright/test';
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

// Five tabs of the demo shop track 40 product views each, round-robin, while five workers fold
// them into one IndexedDB profile under the profile lock. The lock's admission order is read back
// from the event log (`seq`, numbered inside each fold's transaction); replaying the same events,
// with their own timestamps, one fold each in that order in a fresh browser context must give the
// same profile. Every view is a catalogue item, so the workers fold from the shop's published
// vectors (no model download): the same vectors in every context, which the replay relies on.

const TABS = 5;
const PER_TAB = 40;
// Departments far from every sensitive topic, so the guard never keeps a view out of the count.
const DEPARTMENTS = ['Running', 'Hiking', 'Kitchen', 'Coffee', 'Audio', 'Books', 'Gaming', 'Office', 'Garden'];
// The cart page with an empty cart: no product cards, no JSON-LD, no dataLayer push, so the only
// events are the ones this test tracks.
const PAGE = `${DEMO_URL}/cart.html`;
// Same vectors, same events, same order: only float rounding may differ.
const TOLERANCE = 1e-6;

interface ShopProduct {
  id: string;
  title: string;
  category: string;
  brand: string;
  price: number;
  department: string;
}
interface Stored {
  id: string;
  type: string;
  ts: number;
  product?: { id: string; title?: string; category?: string; brand?: string; price?: number };
  applied: number;
  seq?: number;
}

interface Status {
  state: string;
  model: { state: string; error?: { code: string; message: string } };
  profileEvents: number;
  pendingEvents: number;
  timings: { modelRuns: number; cacheHits: number; catalogueHits: number };
}

const statusOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { portrait: Portrait }).portrait('status')) as Promise<Status | undefined>;

const track = (page: Page, p: ShopProduct) =>
  page.evaluate((product) => (window as unknown as { portrait: Portrait }).portrait('track', 'view', { product }), {
    id: p.id,
    title: p.title,
    category: p.category,
    brand: p.brand,
    price: p.price,
  });

/**
 * The replay's own worker, driven over comlink's wire protocol as the tag drives its own: the
 * replay ingests the events with their own ids and timestamps, and the tag offers no page a way to
 * (`call` does not reach `ingest`). The tag on the replay page never starts a worker: nothing is
 * tracked or asked there.
 */
const replayCall = <T>(page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(
    ([m, a]) => {
      const w = window as unknown as { __replay?: Worker; __calls?: number };
      w.__replay ??= new Worker('/portrait/portrait-worker.js', { type: 'module' });
      const worker = w.__replay;
      w.__calls = (w.__calls ?? 0) + 1;
      const id = w.__calls;
      return new Promise<unknown>((resolve, reject) => {
        const answer = (ev: MessageEvent) => {
          if (ev.data?.id !== id) return;
          worker.removeEventListener('message', answer);
          const r = ev.data.value as { ok: boolean; value?: unknown; error?: unknown };
          if (ev.data.type === 'RAW' && r.ok) resolve(r.value);
          else reject(new Error(JSON.stringify(ev.data)));
        };
        worker.addEventListener('message', answer);
        worker.postMessage({
          id,
          type: 'APPLY',
          path: [m],
          argumentList: Array.from(a, (value) => ({ type: 'RAW', value })),
        });
      });
    },
    [method, args] as const,
  ) as Promise<T>;
const replayStatus = (page: Page) => replayCall<Status>(page, 'status');

/** The worker is up with the shop's catalogue open: product views fold from the first one. */
async function workerReady(page: Page, status: (p: Page) => Promise<Status | undefined> = statusOf) {
  await expect.poll(async () => (await status(page))?.state, { timeout: 60_000 }).toBe('ready');
}

const profileOf = storedProfile;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

/** 2xx answers to profile uploads, counted where the network saw them. */
function countAcks(context: BrowserContext) {
  const acked = { n: 0 };
  context.on('response', (r) => {
    const req = r.request();
    if (req.method() === 'POST' && r.url().startsWith(`${COLLECTOR_URL}/v1/profile`) && r.status() < 300) acked.n++;
  });
  return acked;
}

test('five tabs, 40 views each, interleaved: the profile counts 200 and equals a one-tab replay in lock order', async ({
  context,
  browser,
  pageErrors,
}) => {
  test.setTimeout(240_000);
  const catalogue = (await (await fetch(`${DEMO_URL}/products.json`)).json()) as ShopProduct[];
  const products = catalogue.filter((p) => DEPARTMENTS.includes(p.department)).slice(0, TABS * PER_TAB);
  expect(products.length).toBe(TABS * PER_TAB);
  const acked = countAcks(context);

  // The replay's context (empty IndexedDB, its own worker, the same catalogue) starts alongside the tabs.
  const solo = await browser.newContext();
  const soloPage = await solo.newPage();
  const pages = await Promise.all(Array.from({ length: TABS }, () => context.newPage()));
  await Promise.all([...pages, soloPage].map((p) => p.goto(PAGE)));
  // Every worker can fold from the first event on, so the five contend for the lock throughout.
  await replayCall(soloPage, 'init', { logLevel: 'warn', catalogueUrl: `${COLLECTOR_URL}/v1/catalogue-vectors/` });
  await Promise.all([...pages.map((p) => workerReady(p)), workerReady(soloPage, replayStatus)]);
  // Round-robin: product k is tab k % 5's view number k / 5; each round hits all five tabs at once.
  for (let round = 0; round < PER_TAB; round++) {
    await Promise.all(pages.map((p, tab) => track(p, products[round * TABS + tab] as ShopProduct)));
  }
  const first = pages[0] as Page;
  await expect.poll(async () => (await profileOf(first))?.count, { timeout: 90_000 }).toBe(TABS * PER_TAB);

  const events = (await readIndexedDb(first, 'portrait', 'events')) as Stored[];
  const tracked = new Set(products.map((p) => p.id));
  const mine = events.filter((e) => e.product && tracked.has(e.product.id));
  const byProduct = new Map<string, number>();
  for (const e of mine) byProduct.set(e.product?.id ?? '', (byProduct.get(e.product?.id ?? '') ?? 0) + 1);
  const lost = [...tracked].filter((id) => !byProduct.has(id)).length;
  const duplicated = [...byProduct.values()].reduce((n, c) => n + c - 1, 0);
  expect(events.length).toBe(mine.length);
  expect(mine.every((e) => e.applied === 1)).toBe(true);

  // The admission order: one number per applied event, no gaps, no repeats.
  const order = [...mine].sort((a, b) => (a.seq ?? Number.NaN) - (b.seq ?? Number.NaN));
  expect(order.map((e) => e.seq)).toEqual(order.map((_, i) => i));
  // It really was concurrent: the lock admitted the tabs' events in turn, not tab after tab.
  const tabOf = (e: Stored) => products.findIndex((p) => p.id === e.product?.id) % TABS;
  const switches = order.filter((e, i) => i > 0 && tabOf(e) !== tabOf(order[i - 1] as Stored)).length;
  expect(switches).toBeGreaterThan(TABS);
  // Events folded after one stamped later: the cases a replay in timestamp order would get wrong.
  let latest = 0;
  let late = 0;
  for (const e of order) {
    if (e.ts < latest) late++;
    latest = Math.max(latest, e.ts);
  }
  const concurrent = await profileOf(first);
  const statuses = (await Promise.all(pages.map(statusOf))) as Status[];
  for (const s of statuses) expect(s).toMatchObject({ profileEvents: TABS * PER_TAB, pendingEvents: 0 });
  // Each worker looks up what its own folds took: more than one worker folding means the lock
  // really arbitrated between tabs. No worker needed the model.
  const foldedBy = statuses.map((s) => s.timings.catalogueHits);
  expect(foldedBy.reduce((a, b) => a + b, 0)).toBe(TABS * PER_TAB);
  expect(foldedBy.filter((n) => n > 0).length).toBeGreaterThan(1);
  expect(statuses.map((s) => s.timings.modelRuns)).toEqual(statuses.map(() => 0));
  const syncsAcked = acked.n;

  // The replay: a fresh context (empty IndexedDB), one tab, each event its own fold, in lock order.
  try {
    const page = soloPage;
    // One at a time: `ingest` resolves once its fold is done, so the next event folds after it.
    let replayed = 0;
    for (const { id, type, ts, product } of order)
      replayed += (await replayCall<{ accepted: number }>(page, 'ingest', [{ id, type, ts, product }])).accepted;
    expect(replayed).toBe(TABS * PER_TAB);
    const replay = await profileOf(page);
    expect((await replayStatus(page)).timings.catalogueHits).toBe(TABS * PER_TAB);
    expect(replay?.count).toBe(TABS * PER_TAB);
    const c = concurrent as StoredProfile;
    const r = replay as StoredProfile;
    expect(r.modelId).toBe(c.modelId);
    expect(r.updatedAt).toBe(c.updatedAt);
    expect(maxDiff(r.long, c.long)).toBeLessThan(TOLERANCE);
    expect(maxDiff(r.short, c.short)).toBeLessThan(TOLERANCE);
    expect(Math.abs(r.longWeight - c.longWeight)).toBeLessThan(TOLERANCE);
    expect(Math.abs(r.shortWeight - c.shortWeight)).toBeLessThan(TOLERANCE);
    expect(r.interests.map((i) => i.count)).toEqual(c.interests.map((i) => i.count));
    r.interests.forEach((ri, k) => {
      const ci = c.interests[k] as StoredProfile['interests'][number];
      expect(maxDiff(ri.vector, ci.vector)).toBeLessThan(TOLERANCE);
      expect(Math.abs(ri.weight - ci.weight)).toBeLessThan(TOLERANCE);
    });
  } finally {
    await solo.close();
  }

  await recordFault(test.info(), {
    fault: 'five tabs × 40 views, interleaved',
    eventsIn: tracked.size,
    eventsReflected: concurrent?.count ?? 0,
    syncsAcked,
    lost,
    duplicated,
    note: `catalogue folds per tab ${foldedBy.join('/')}; lock order: ${switches} tab switches, ${late} folded after a later-stamped one; equals a one-tab replay (max |Δ| < ${TOLERANCE})`,
  });
  expect(pageErrors).toEqual([]);
});
