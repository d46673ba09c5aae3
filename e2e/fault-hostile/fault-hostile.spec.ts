import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFault } from '../fault-ledger.ts';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, type StoredCapture, test } from '../fixtures.ts';

// A shop page that replaces fetch, JSON, Array.prototype methods, pollutes Object.prototype and
// whose own GTM-style dataLayer listener throws, all before the async tag arrives. The tag must
// still bring the page's events to the profile (or drop them quietly), never throw into the page,
// and leave the page's replacements as the page made them. The page is served at the demo shop's
// origin, so the real tag, worker, model and collector are the shop's own.

const here = dirname(fileURLToPath(import.meta.url));
const PAGE = `${DEMO_URL}/fault-hostile/index.html`;
// A page of the same origin without the tag or the hostile globals, to read IndexedDB from.
const READER = `${DEMO_URL}/fault-hostile/reader.html`;

const EXPECTED = [
  'search:espresso beans',
  'view:hx-grinder',
  'add_to_cart:hx-beans',
  'add_to_cart:hx-grinder',
  'click:hx-kettle',
  'search:pour over kettle',
].sort();

const keyOf = (e: StoredCapture) => `${e.type}:${e.product?.id ?? e.query}`;
type W = Window & {
  portrait: ((...a: unknown[]) => unknown) & { q?: unknown };
  __pagePush: (entry: unknown) => string;
  __onerror: number;
  __errors: string[];
  __listenerSaw: unknown[];
};

test('hostile page (fetch, JSON, Array.prototype, Object.prototype, throwing dataLayer listener): the tag works and never throws', async ({
  context,
  page,
  pageErrors,
}) => {
  test.setTimeout(90_000);
  await context.route(`${DEMO_URL}/fault-hostile/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith('/reader.html'))
      return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>reader</title>' });
    return route.fulfill({ path: join(here, path.endsWith('.js') ? 'hostile-page.js' : 'index.html') });
  });
  // Errors whose stack passes through the tag's files, whatever the page's own handlers did.
  const tagErrors: string[] = [];
  page.on('pageerror', (e) => {
    if (`${e.stack}`.includes('/portrait/')) tagErrors.push(e.stack ?? e.message);
  });
  let syncsAcked = 0;
  context.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().startsWith(`${COLLECTOR_URL}/v1/profile`) && r.status() < 300)
      syncsAcked++;
  });

  await page.goto(PAGE);
  // The tag has replaced the queue stub (and replayed the queued search).
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as W).portrait.q)).toBe('undefined');

  // The page's own listener still throws to the page's code, after seeing the entry.
  const pushed = await page.evaluate(() =>
    (window as unknown as W).__pagePush({
      event: 'add_to_cart',
      ecommerce: {
        items: [
          {
            item_id: 'hx-beans',
            item_name: 'Single origin espresso beans',
            item_category: 'Kitchen > Coffee > Beans',
            price: 18,
            quantity: 2,
          },
        ],
      },
    }),
  );
  expect(pushed).toBe('page listener failed');
  await page.click('#buy');
  // A script click: Playwright's own click would scroll the card into view (an impression).
  await page.evaluate(() => (document.getElementById('card') as HTMLElement).click());
  await page.evaluate(() => (window as unknown as W).portrait('track', 'search', { query: 'pour over kettle' }));

  const reader = await context.newPage();
  await reader.goto(READER);
  const profileCount = async () =>
    ((await readIndexedDb(reader, 'portrait', 'profiles')) as { count: number }[])[0]?.count ?? 0;
  await expect.poll(profileCount, { timeout: 60_000 }).toBe(EXPECTED.length);
  const events = (await readIndexedDb(reader, 'portrait', 'events')) as (StoredCapture & { applied: number })[];
  expect(events.map(keyOf).sort()).toEqual(EXPECTED);
  expect(events.every((e) => e.applied === 1)).toBe(true);
  // No polluted key travelled with an event into the worker's store.
  expect(JSON.stringify(events)).not.toContain('hostile');

  // The page's replacements are still the page's: the tag neither restored nor wrapped them.
  // Read back as one string: Playwright's own return-value serialisation leans on the builtins
  // this page replaced.
  const globals = await page.evaluate(() => {
    const w = window as unknown as W;
    const threw = (fn: () => unknown) => {
      try {
        fn();
        return 'no throw';
      } catch (e) {
        return (e as Error).message;
      }
    };
    return [
      `push=${threw(() => [].push())}`,
      `map=${[1, 2].map((x) => x)}`,
      `forEach=${threw(() => [].forEach(() => {}))}`,
      `includes=${([] as string[]).includes('anything')}`,
      `parse=${threw(() => JSON.parse('{}'))}`,
      `stringify=${threw(() => JSON.stringify({}))}`,
      `fetch=${threw(() => fetch('/'))}`,
      `polluted=${({} as { polluted?: string }).polluted}`,
      `listenerSaw=${w.__listenerSaw.length}`,
      `onerror=${w.__onerror}`,
      `errors=${w.__errors.length}`,
    ].join(' ');
  });
  expect(globals).toBe(
    [
      'push=hostile push',
      'map=hostile map',
      'forEach=hostile forEach',
      'includes=true',
      'parse=hostile parse',
      'stringify=hostile stringify',
      'fetch=hostile fetch',
      'polluted=hostile',
      'listenerSaw=1',
      'onerror=0',
      'errors=0',
    ].join(' '),
  );
  expect(tagErrors).toEqual([]);
  expect(pageErrors).toEqual([]);

  await recordFault(test.info(), {
    fault: 'hostile page globals + throwing dataLayer listener',
    eventsIn: EXPECTED.length,
    eventsReflected: await profileCount(),
    syncsAcked,
    lost: EXPECTED.filter((k) => !events.some((e) => keyOf(e) === k)).length,
    // The same capture stored twice, or the profile counting more than the stored events.
    duplicated: events.length - new Set(events.map(keyOf)).size + Math.max(0, (await profileCount()) - events.length),
    note: 'fetch, JSON, Array push/map/forEach/includes, enumerable Array/Object.prototype keys; 0 page errors',
  });
});
