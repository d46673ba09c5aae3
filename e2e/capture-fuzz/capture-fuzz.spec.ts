import fc from 'fast-check';
import { expect, portraitCommand, SCENARIO_URL, test, trackMarker, workerStatus } from '../fixtures.ts';

// Random values pushed into the dataLayer, passed to portrait() and written into data-
// attributes of product cards (then clicked), 5,000 cases in real Chromium. The page must see
// no error of ours, and GTM's queue must keep working throughout.
const BATCH = 50;
const RUNS = 100;
const COMMANDS = ['init', 'track', 'consent', 'pause', 'resume', 'status', 'export', 'forget', 'nope', ''];
const ATTRS = ['product', 'title', 'category', 'brand', 'price', 'action', 'quantity', 'page', 'search'];
const GA4 = ['add_to_cart', 'view_item', 'view_item_list', 'select_item', 'purchase', 'search', 'remove_from_cart'];

const json = fc.jsonValue({ maxDepth: 4 });
const ga4 = fc.record({
  event: fc.oneof(fc.constantFrom(...GA4), fc.string()),
  ecommerce: fc.oneof(
    json,
    fc.record({ items: fc.array(fc.oneof(json, fc.dictionary(fc.string(), json)), { maxLength: 5 }) }),
  ),
  search_term: json,
});
const fuzzCase = fc.record({
  push: fc.oneof(json, ga4, fc.array(json, { maxLength: 3 })),
  call: fc.tuple(fc.oneof(fc.constantFrom(...COMMANDS), fc.string()), json, json),
  attrs: fc.dictionary(
    fc.oneof(fc.constantFrom(...ATTRS), fc.string({ maxLength: 8 })),
    fc.string({ maxLength: 200 }),
    {
      maxKeys: 4,
    },
  ),
  hostile: fc.integer({ min: -1, max: 14 }),
  shadow: fc.boolean(),
  detach: fc.boolean(),
});
type FuzzCase = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

test('5,000 random dataLayer pushes, portrait() calls and data- attributes: no page error, GTM intact', async ({
  page,
  pageErrors,
}) => {
  test.setTimeout(180_000);
  await page.goto(`${SCENARIO_URL}/capture-fuzz/index.html`);
  await page.waitForFunction(() => !(window as unknown as { portrait: { q?: unknown } }).portrait.q);
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fuzzCase, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
      cases += batch.length;
      // The cases are JSON by construction; a string keeps Playwright's deep argument types out of it.
      const r = await page.evaluate((json: string) => {
        const list = JSON.parse(json) as FuzzCase[];
        const w = window as unknown as {
          dataLayer: { push: (...a: unknown[]) => unknown };
          portrait: (...a: unknown[]) => unknown;
          __hostile: () => unknown[];
          __gtmSeen: unknown[];
        };
        const hostile = w.__hostile();
        const cards = document.getElementById('cards') as HTMLElement;
        let thrown = 0;
        let gtmBroken = 0;
        for (const c of list) {
          const before = w.__gtmSeen.length;
          try {
            const pushed = c.hostile >= 0 ? hostile[c.hostile] : c.push;
            if (w.dataLayer.push(pushed) !== 'gtm-processed' || w.__gtmSeen.length !== before + 1) gtmBroken++;
            w.portrait(...c.call);
            if (c.hostile >= 0) w.portrait('track', 'view', hostile[c.hostile]);
            const li = document.createElement('li');
            for (const [k, v] of Object.entries(c.attrs)) {
              try {
                li.setAttribute(k.startsWith('data-') ? k : `data-portrait-${k}`, v);
              } catch {
                // An attribute name the DOM itself refuses is not a case.
              }
            }
            const parent = c.shadow
              ? ((document.getElementById('host') as HTMLElement).shadowRoot ??
                (document.getElementById('host') as HTMLElement).attachShadow({ mode: 'open' }))
              : cards;
            li.innerHTML = '<a href="#x">item</a><button type="button">buy</button>';
            parent.append(li);
            (li.querySelector(c.detach ? 'button' : 'a') as HTMLElement).click();
            if (c.detach) li.remove();
            (li.querySelector('button') as HTMLElement).click();
          } catch {
            thrown++;
          }
        }
        cards.replaceChildren();
        return { thrown, gtmBroken };
      }, JSON.stringify(batch));
      expect(r).toEqual({ thrown: 0, gtmBroken: 0 });
    }),
    { numRuns: RUNS, seed: 5, endOnFailure: true },
  );
  expect(cases).toBeGreaterThanOrEqual(5_000);

  // Let queued work run out, then look at the page's own counters. A status answer comes after
  // every worker call queued before it (the engine serialises them); then, with capture switched
  // back on (the cases paused it or withdrew consent at random), a stored marker shows that every
  // batch the tag had queued has been handed over.
  await workerStatus(page);
  await portraitCommand(page, 'consent', true);
  await portraitCommand(page, 'resume');
  await trackMarker(page, 60_000);
  const after = await page.evaluate(() => {
    const w = window as unknown as {
      __onerror: number;
      __errors: string[];
      dataLayer: { push: (x: unknown) => unknown };
    };
    return { onerror: w.__onerror, errors: w.__errors, returned: w.dataLayer.push({ event: 'still_works' }) };
  });
  expect(after).toEqual({ onerror: 0, errors: [], returned: 'gtm-processed' });
  expect(pageErrors).toEqual([]);
});
