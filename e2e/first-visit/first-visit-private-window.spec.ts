import type { Request } from '@playwright/test';
import { DEMO_URL, expect, MODEL_FILE, storedEvents, tagIdle, test, workerStatus } from '../fixtures.ts';

// A private window (a fresh browser context: its own empty HTTP cache and storage, as incognito)
// browses the demo shop. Every page starts a new worker; after the first page, none may download
// more than 150 KB: what the first page fetched (the runtime and the model included, since it
// lands on a search) must come from the cache, not the network, even where a later page needs the
// model again.

const PAGES = [
  // A search: free text, so 'auto' loads the model on this first page.
  '/?q=trail+running',
  '/p/run-001.html',
  '/c/coffee.html',
  // Another search: a new worker loads the model again, from what the first page cached.
  '/?q=espresso+grinder',
  '/p/cof-001.html',
];
const NEXT_PAGE_BUDGET = 150_000;

type Kind = 'page' | 'tag+worker' | 'runtime' | 'model' | 'catalogue' | 'other';
function kind(url: URL): Kind {
  if (url.port === '8787') return url.pathname.startsWith('/v1/catalogue-vectors/') ? 'catalogue' : 'other';
  if (/\/portrait\/models\//.test(url.pathname)) return 'model';
  if (MODEL_FILE.test(url.pathname)) return 'runtime';
  if (url.pathname.startsWith('/portrait/')) return 'tag+worker';
  return 'page';
}

interface Transfer {
  view: number;
  url: string;
  kind: Kind;
  /** Bytes received: response headers and the (encoded) body; 0 when served from the cache. */
  bytes: number;
}

test('a private window downloads at most 150 KB per page view after the first, the model reload included', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  let view = 0;
  const started = new Map<Request, number>();
  const transfers: Promise<Transfer>[] = [];
  context.on('request', (r) => started.set(r, view));
  context.on('requestfinished', (r) => {
    const url = new URL(r.url());
    transfers.push(
      r.sizes().then((s) => ({
        view: started.get(r) ?? view,
        url: r.url(),
        kind: kind(url),
        bytes: s.responseHeadersSize + s.responseBodySize,
      })),
    );
  });

  for (const [i, path] of PAGES.entries()) {
    view = i;
    const before = i === 0 ? 0 : (await storedEvents(page)).length;
    await page.goto(`${DEMO_URL}${path}`);
    // This page's events are stored and every one folded (a search only once the model is ready).
    await expect
      .poll(
        async () => {
          const s = await workerStatus(page);
          return !!s && s.storedEvents > before && s.pendingEvents === 0 && s.model.state !== 'loading';
        },
        { timeout: 150_000 },
      )
      .toBe(true);
    await tagIdle(page);
    if (path.includes('?q=')) expect((await workerStatus(page))?.model.state).toBe('ready');
  }
  // Leave the last page so its worker's requests (a sync) are in.
  view = PAGES.length;
  await page.goto('about:blank');

  const all = await Promise.all(transfers);
  const rows = PAGES.map((path, i) => {
    const mine = all.filter((t) => t.view === i);
    const by = (k: Kind) => mine.filter((t) => t.kind === k).reduce((s, t) => s + t.bytes, 0);
    const biggest = mine.reduce((a, t) => (t.bytes > a.bytes ? t : a), { bytes: 0, url: '' } as Transfer);
    return {
      view: i + 1,
      path,
      requests: mine.length,
      total: mine.reduce((s, t) => s + t.bytes, 0),
      page: by('page'),
      'tag+worker': by('tag+worker'),
      runtime: by('runtime'),
      model: by('model'),
      catalogue: by('catalogue'),
      other: by('other'),
      biggest: `${new URL(biggest.url || DEMO_URL).pathname} ${biggest.bytes}`,
    };
  });
  console.log('bytes transferred per page view (private window):');
  console.table(rows);
  for (const r of rows.slice(1))
    expect(r.total, `page view ${r.view} (${r.path})`).toBeLessThanOrEqual(NEXT_PAGE_BUDGET);
  // The first page did download the runtime and the model: the later pages had something to reuse.
  expect(rows[0]?.runtime).toBeGreaterThan(1_000_000);
  expect(rows[0]?.model).toBeGreaterThan(1_000_000);
});
