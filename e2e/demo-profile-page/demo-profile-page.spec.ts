import type { AddressInfo } from 'node:net';
import type { APIRequestContext, Page, TestInfo } from '@playwright/test';
import {
  decodeBasisFile,
  decodeShard,
  encodePayload,
  fnv1a32,
  project,
  RISK_UNKNOWN,
  seededRandom,
} from '@portrait/core';
import { PRODUCTS } from '../../demo/src/products.ts';
import { createCollector } from '../../packages/server/src/index.ts';
import { browse, inDepartment, openDrawer } from '../demo-journey/shop.ts';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb, test } from '../fixtures.ts';

// The demo's two new faces in real Chromium: the shopper's profile page (the drawer's first view)
// after running then kitchen, its forget controls changing the profile and the recommendations;
// and the collector's merchant view after a scripted crowd of simulated devices. Screenshots at
// desktop and phone widths are kept in the test output folder (CI artifacts).

interface MerchantJson {
  profiles: number;
  audiences: { name: string; devices: number }[];
  milestones: [{ devices: number }, { devices: number }, { devices: number }];
  holdout: Record<'on' | 'off', { impressions: number; clicks: number }>;
}

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, testInfo: TestInfo, name: string, fullPage = false) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

const titleOf = (id: string) => PRODUCTS.find((p) => p.id === id)?.title ?? id;
const profileCount = async (page: Page) =>
  Number(await page.locator('.drawer .profile-count').getAttribute('data-count'));

/** Opens the drawer's "For engineers" section (the drawer opens on the shopper's page). */
async function openEngineers(page: Page) {
  await openDrawer(page);
  await page.locator('details.engineers > summary').click();
  await expect(page.locator('details.engineers')).toHaveAttribute('open');
}

/** One engineers' chart as drawn: department and share (data-share), largest first. */
const chartShares = (page: Page, kind: 'short' | 'long') =>
  page
    .locator(`details.engineers [data-chart="${kind}"] li`)
    .evaluateAll((els) =>
      els.map((e) => ({ label: e.getAttribute('data-label'), share: Number(e.getAttribute('data-share')) })),
    );

/** Pairs of map labels whose boxes (as the browser lays them out) intersect, and labels outside the map. */
const mapLabelClashes = (page: Page) =>
  page.locator('details.engineers svg.map').evaluate((svg) => {
    const box = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('text.map-label')].map((t) => ({
      text: t.textContent ?? '',
      r: t.getBoundingClientRect(),
    }));
    const clashes: string[] = [];
    for (const [i, a] of labels.entries()) {
      if (a.r.left < box.left || a.r.top < box.top || a.r.right > box.right || a.r.bottom > box.bottom)
        clashes.push(`${a.text} outside the map`);
      for (const b of labels.slice(i + 1))
        if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom && b.r.top < a.r.bottom)
          clashes.push(`${a.text} / ${b.text}`);
    }
    return { count: labels.length, clashes };
  });

/** Number and label cells of the engineers' charts and counts whose text does not fit their box. */
const clippedCells = (page: Page) =>
  page
    .locator('details.engineers')
    .evaluate((root) =>
      [...root.querySelectorAll<HTMLElement>('.bar-value, .bar-label, .counts .num, .counts th')]
        .filter((e) => e.scrollWidth > e.clientWidth)
        .map((e) => `${e.className}: ${e.textContent}`),
    );

/** Waits until the device has folded an event of `type` (for `id`, if given) into the profile. */
async function folded(page: Page, type: string, id?: string) {
  await expect
    .poll(
      async () =>
        (
          (await readIndexedDb(page, 'portrait', 'events')) as {
            type: string;
            applied: number;
            product?: { id: string };
          }[]
        ).some((e) => e.type === type && e.applied === 1 && (id === undefined || e.product?.id === id)),
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe(true);
}

/**
 * Devices a merchant's shop would have: each syncs a real payload whose long-term vector sits
 * near one published category label (projected with the served basis), as the worker would send.
 * Stays under the collector's 60 first syncs per minute per address.
 */
async function simulateDevices(request: APIRequestContext, plan: [department: string, n: number][]) {
  const basisFile = decodeBasisFile(new Uint8Array(await (await request.get(`${COLLECTOR_URL}/v1/basis`)).body()));
  if (!basisFile.ok) throw new Error(basisFile.message);
  const basis = basisFile.file.basis;
  const manifest = (await (await request.get(`${COLLECTOR_URL}/v1/catalogue-vectors/manifest.json`)).json()) as {
    version: string;
  };
  const labels = decodeShard(
    new Uint8Array(
      await (await request.get(`${COLLECTOR_URL}/v1/catalogue-vectors/${manifest.version}/labels.bin`)).body(),
    ),
  );
  if (!labels.ok) throw new Error(labels.message);
  const rand = seededRandom(11);
  let n = 0;
  for (const [department, count] of plan) {
    const [, vector] = [...labels.vectors].find(([id]) => id.startsWith(`${department} >`)) ?? [];
    if (!vector) throw new Error(`no label under ${department}`);
    const long = project(basis, vector).slice(0, 64);
    for (let i = 0; i < count; i++, n++) {
      const noisy = Float32Array.from(long, (x) => x + (rand() - 0.5) * 0.01);
      const id = (0xe2e00000 + n).toString(16).padStart(32, '0');
      const body = encodePayload({
        flags: 0,
        modelHash: fnv1a32('use-lite'),
        basisVersion: basis.version,
        pseudoId: id,
        timestamp: Math.floor(Date.now() / 1000) - 5,
        idempotencyKey: id.slice(16),
        risk: RISK_UNKNOWN,
        vectors: [noisy, noisy.slice(0, 8), noisy.slice(0, 8)],
        segments: [],
      });
      const r = await request.post(`${COLLECTOR_URL}/v1/profile`, { data: Buffer.from(body) });
      expect(r.status(), `sync of simulated device ${n}`).toBe(201);
    }
  }
  return n;
}

test('merchant view: audiences only at k or more, sync health, milestones, bytes and the holdout after a simulated crowd', async ({
  page,
  request,
  pageErrors,
}, testInfo) => {
  test.setTimeout(120_000);
  // 52 runners (over k = 50), 3 coffee drinkers (under it: must not show).
  const devices = await simulateDevices(request, [
    ['Sports > Running', 52],
    ['Home > Coffee', 3],
  ]);
  // 120 simulated devices report their holdout sums and milestones; the profile arm clicks more.
  // Added to what the run's earlier scenarios (real shoppers of the same demo server) reported.
  const base = (await (await request.get(`${COLLECTOR_URL}/v1/merchant`)).json()) as MerchantJson;
  const rand = seededRandom(5);
  const want = { on: { ...base.holdout.on }, off: { ...base.holdout.off } };
  let fifth = base.milestones[2].devices;
  for (let i = 0; i < 120; i++) {
    const arm = rand() < 0.5 ? 'on' : 'off';
    const impressions = 8 + Math.floor(rand() * 8);
    let clicks = 0;
    for (let k = 0; k < impressions; k++) if (rand() < (arm === 'on' ? 0.14 : 0.05)) clicks++;
    want[arm].impressions += impressions;
    want[arm].clicks += clicks;
    // Two in five of them go on to a fifth page.
    const five = rand() < 0.4;
    if (five) fifth++;
    const r = await request.post(`${COLLECTOR_URL}/v1/aggregate`, {
      headers: { 'content-type': 'text/plain' },
      data: JSON.stringify({
        [`${arm}Impressions`]: impressions,
        [`${arm}Clicks`]: clicks,
        pages1: 1,
        pages1Profile: rand() < 0.6 ? 1 : 0,
        pages3: 1,
        pages3Profile: rand() < 0.9 ? 1 : 0,
        ...(five ? { pages5: 1, pages5Profile: rand() < 0.95 ? 1 : 0 } : {}),
      }),
    });
    expect(r.status()).toBe(204);
  }

  await page.setViewportSize(DESKTOP);
  await page.goto(`${COLLECTOR_URL}/merchant`);
  const audiences = page.locator('#audiences-chart');
  await expect(audiences).toContainText('Sports > Running');
  await expect(audiences).toContainText(/\d+ devices/);
  await expect(page.locator('#audiences')).not.toContainText('Coffee');
  await expect(page.locator('#syncs-min')).not.toHaveText('');
  expect(Number(await page.locator('#syncs-min').textContent())).toBeGreaterThan(0);
  await expect(page.locator('#holdout-chart')).toContainText(`(${want.on.clicks} / ${want.on.impressions})`);
  await expect(page.locator('#holdout-chart')).toContainText(`(${want.off.clicks} / ${want.off.impressions})`);
  await expect(page.locator('#lift')).toContainText('Lift +');
  await expect(page.locator('#milestones-chart')).toContainText(`of ${base.milestones[0].devices + 120}`);
  await expect(page.locator('#milestones-chart')).toContainText(`of ${fifth}`);
  await expect(page.locator('#bytes-visitor')).toContainText('B');
  // The API the page reads is the one the admin token guards (open here: the demo runs --dev).
  const api = (await (await request.get(`${COLLECTOR_URL}/v1/merchant`)).json()) as MerchantJson;
  expect(api.profiles).toBeGreaterThanOrEqual(devices);
  expect(api.audiences.find((a) => a.name === 'Sports > Running')?.devices).toBeGreaterThanOrEqual(50);
  expect(api.audiences.map((a) => a.name)).not.toContain('Home > Coffee');
  await shot(page, testInfo, 'merchant-view-desktop', true);
  await page.setViewportSize(PHONE);
  // Redrawn at the phone's width: the label sits above its bar.
  await expect.poll(() => page.locator('#audiences-chart').getAttribute('viewBox')).toMatch(/^0 0 (2[89]\d|3\d\d) /);
  await shot(page, testInfo, 'merchant-view-phone', true);
  expect(pageErrors).toEqual([]);
});

test('profile page: plain words name the departments browsed; forget one item and forget the last day visibly change profile and recommendations', async ({
  page,
  pageErrors,
}, testInfo) => {
  test.setTimeout(420_000);
  await page.setViewportSize(DESKTOP);
  const running = inDepartment('Running', 3);
  const kitchen = inDepartment('Kitchen', 3);
  for (const id of [...running, ...kitchen]) await browse(page, id);
  await page.goto(`${DEMO_URL}/`);
  await openDrawer(page);

  // In words: right now kitchen (the last pages), and both departments over the session so far.
  const summary = page.locator('[data-summary]');
  await expect(summary).toContainText('Right now you are looking at', { timeout: 20_000 });
  await expect(summary).toContainText('Kitchen');
  await expect(summary).toContainText('Running');
  await expect
    .poll(
      async () =>
        page.locator('[data-interests="long"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-label'))),
      {
        timeout: 20_000,
      },
    )
    .toEqual(expect.arrayContaining(['Running', 'Kitchen']));
  // Every recommendation says why; what left the device is a byte count, its detail one click away.
  await expect(page.locator('.why li').first()).toContainText('because', { timeout: 30_000 });
  await expect
    .poll(async () => Number(await page.locator('.sent-bytes').getAttribute('data-bytes')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await expect(page.locator('[data-keep="sent-detail"] dl')).toBeHidden();
  await page.getByText('Technical detail').click();
  await expect(page.locator('[data-keep="sent-detail"] dl')).toBeVisible();
  // The technical panel is there, collapsed, for engineers.
  await expect(page.locator('details.engineers')).not.toHaveAttribute('open');
  await shot(page, testInfo, 'profile-page-desktop');

  await page.locator('.forget-days-row').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'profile-page-desktop-controls');

  // Forget one item: the last kitchen product, which the home page's list names as a reason.
  const gone = kitchen.at(-1) as string;
  const reason = `Because you looked at ${titleOf(gone)}`;
  await expect(page.locator('.recs-grid')).toContainText(reason, { timeout: 20_000 });
  const before = await profileCount(page);
  const whyBefore = await page.locator('.why').textContent();
  await page.getByRole('button', { name: `Forget ${titleOf(gone)}` }).click();
  await expect(page.locator('.result')).toContainText(`Forgot \u201c${titleOf(gone)}\u201d`);
  await expect(page.getByRole('button', { name: `Forget ${titleOf(gone)}` })).toHaveCount(0);
  await expect.poll(() => profileCount(page), { timeout: 20_000 }).toBeLessThan(before);
  await expect(page.locator('.why')).not.toContainText(`you looked at ${titleOf(gone)}`, { timeout: 20_000 });
  // The recommendations behind the drawer follow within their refresh: no reason names it any more.
  await expect(page.locator('.recs-grid')).not.toContainText(reason, { timeout: 10_000 });
  console.log(
    `[demo-profile-page] forget one item: profile ${before} -> ${await profileCount(page)} events; why before: ${whyBefore}`,
  );
  await shot(page, testInfo, 'profile-page-after-forget-item');

  // Forget the last day: everything browsed here goes, in the profile and in the shop's list.
  await page.locator('.forget-days').selectOption('1');
  await page.getByRole('button', { name: 'Forget them' }).click();
  await expect(page.locator('.result')).toContainText('Forgot the last day');
  await expect.poll(() => profileCount(page), { timeout: 20_000 }).toBe(0);
  await expect(summary).toContainText('Nothing yet');
  await expect(page.locator('.forget-items')).toHaveCount(0);
  await shot(page, testInfo, 'profile-page-after-forget-day');
  await page.keyboard.press('Escape');
  // The home page's recommendations went with it (they start again after a product or two).
  await page.goto(`${DEMO_URL}/`);
  await expect(page.locator('.recs')).toBeHidden();

  // The phone width: one new product, the drawer full width.
  await page.setViewportSize(PHONE);
  await browse(page, (inDepartment('Coffee', 1)[0] as string) ?? '');
  await openDrawer(page);
  await expect(summary).toContainText('Coffee', { timeout: 20_000 });
  await shot(page, testInfo, 'profile-page-phone');
  await page.locator('details.engineers > summary').click();
  await expect(page.locator('details.engineers .progress')).toBeVisible();
  await page.locator('details.engineers .facts').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'profile-page-phone-engineers');
  expect(pageErrors).toEqual([]);
});

test('holdout: a device that picked the holdout sees the shop list, says so in its profile page, and reports only sums', async ({
  page,
  context,
  collectorRequests,
  pageErrors,
}, testInfo) => {
  test.setTimeout(240_000);
  // After the fixtures' init script (profile arm by default): this device is in the holdout.
  await context.addInitScript(() => localStorage.setItem('portrait-demo-arm', 'off'));
  await page.setViewportSize(DESKTOP);
  await browse(page, inDepartment('Running', 1)[0] as string);
  await page.goto(`${DEMO_URL}/`);
  await expect(page.locator('.recs-status')).toContainText('comparison group', { timeout: 30_000 });
  await expect(page.locator('.recs-grid .reason').first()).toHaveText('Popular in the shop');
  // The shop list is not the profile's: it walks the departments, so it is not all running.
  const ids = await page
    .locator('.recs-grid .card')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-portrait-product')));
  expect(new Set(ids.map((id) => PRODUCTS.find((p) => p.id === id)?.department)).size).toBeGreaterThan(1);
  await openDrawer(page);
  await expect(page.locator('.drawer-body section').filter({ hasText: 'Why you see' })).toContainText(
    'comparison group',
  );
  await shot(page, testInfo, 'profile-page-holdout');
  await page.keyboard.press('Escape');
  await page.locator('.recs-grid .card a').first().click();
  await page.waitForURL(/\/p\//);
  // The click's report: the arm's counters only, no id, token or product.
  await expect
    .poll(
      () =>
        collectorRequests
          .filter((r) => r.url.endsWith('/v1/aggregate'))
          .map((r) => JSON.parse(r.body?.toString() ?? '{}')),
      {
        timeout: 15_000,
      },
    )
    .toEqual(expect.arrayContaining([expect.objectContaining({ offClicks: 1 })]));
  for (const r of collectorRequests.filter((q) => q.url.endsWith('/v1/aggregate'))) {
    const body = JSON.parse(r.body?.toString() ?? '{}') as Record<string, unknown>;
    expect(Object.keys(body).every((k) => /^(on|off)(Impressions|Clicks)$|^pages[135](Profile)?$/.test(k))).toBe(true);
    expect(r.headers.authorization).toBeUndefined();
  }
  expect(pageErrors).toEqual([]);
});

test('merchant view behind an admin token: asked once, sent only as a bearer header, kept nowhere', async ({
  page,
  pageErrors,
}) => {
  const ADMIN = 'e2e-merchant-admin-token-0123456789';
  const collector = createCollector({ dbPath: ':memory:', allowedOrigins: [], adminToken: ADMIN, logLevel: 'silent' });
  await collector.ready;
  await new Promise<void>((r) => collector.server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  try {
    const asked: { url: string; auth?: string }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) asked.push({ url: r.url(), auth: r.headers().authorization });
    });
    await page.goto(`${url}/merchant`);
    await expect(page.getByRole('heading', { name: 'Admin token' })).toBeVisible();
    await expect(page.locator('#view')).toBeHidden();
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => asked.length).toBeGreaterThanOrEqual(2);
    await expect(page.locator('#view')).toBeHidden();
    await page.getByLabel('Admin token').fill(ADMIN);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.locator('#audiences')).toBeVisible();
    await expect(page.locator('#audiences-empty')).toBeVisible();
    // The token went only in the authorization header: not in a URL, storage or a cookie, nor left in the field.
    expect(asked.every((a) => !a.url.includes(ADMIN) && new URL(a.url).search === '')).toBe(true);
    expect(asked.at(-1)?.auth).toBe(`Bearer ${ADMIN}`);
    expect(page.url()).not.toContain(ADMIN);
    const kept = await page.evaluate(() => [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
    ]);
    for (const k of kept) expect(k).not.toContain(ADMIN);
    await expect(page.getByLabel('Admin token')).toHaveValue('');
    expect(pageErrors.filter((e) => !e.includes('401'))).toEqual([]);
  } finally {
    await collector.close();
  }
});

test('for engineers: short-term bars share two departments, one purchase leaves the running interest, map labels never overlap, numbers never clip', async ({
  page,
  pageErrors,
}, testInfo) => {
  test.setTimeout(300_000);
  await page.setViewportSize(DESKTOP);
  for (const id of [...inDepartment('Running', 3), ...inDepartment('Kitchen', 3)]) await browse(page, id);
  await page.goto(`${DEMO_URL}/`);
  await openEngineers(page);

  // Short-term, after two departments: both have a real share, not 100 % / 0 %.
  await expect
    .poll(async () => (await chartShares(page, 'short')).filter((s) => s.share > 0.1).map((s) => s.label), {
      timeout: 20_000,
    })
    .toEqual(expect.arrayContaining(['Kitchen', 'Running']));
  // Long-term: both departments named, from the worker's explain().
  await expect
    .poll(async () => (await chartShares(page, 'long')).filter((s) => s.share > 0.05).map((s) => s.label), {
      timeout: 20_000,
    })
    .toEqual(expect.arrayContaining(['Kitchen', 'Running']));
  const before = await chartShares(page, 'long');

  // The map: every department and both "you" points labelled, no two labels over each other.
  await expect(page.locator('details.engineers svg.map text.map-label')).toHaveCount(14, { timeout: 20_000 });
  const desktopMap = await mapLabelClashes(page);
  expect(desktopMap.clashes).toEqual([]);
  expect(await clippedCells(page)).toEqual([]);
  // The counts are counts: one row per kind of number, not one per event (impressions included).
  await expect(page.locator('details.engineers .counts tr')).toHaveCount(6);
  expect(Number(await page.locator('details.engineers [data-count-of="stored"]').textContent())).toBeGreaterThanOrEqual(
    6,
  );
  await page.locator('details.engineers #d-int').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'engineers-charts-desktop');
  await page.locator('details.engineers svg.map').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'engineers-map-desktop');
  await page.keyboard.press('Escape');

  // One coffee bought (view, add to cart, checkout, purchase: 5 of the purchase's weight alone).
  const coffee = inDepartment('Coffee', 1)[0] as string;
  await browse(page, coffee);
  await page.locator('button.buy').click();
  await page.goto(`${DEMO_URL}/checkout.html`);
  await page.locator('.order button').first().click();
  await expect(page.locator('.order-done')).toContainText('Thank you');
  await folded(page, 'purchase', coffee);
  await page.goto(`${DEMO_URL}/`);
  await openEngineers(page);
  await expect.poll(async () => (await chartShares(page, 'long'))[0]?.label, { timeout: 20_000 }).toBe('Coffee');
  const after = await chartShares(page, 'long');
  const running = (l: typeof after) => l.find((s) => s.label === 'Running')?.share ?? 0;
  console.log(
    `[demo-profile-page] long-term bars before the coffee purchase ${JSON.stringify(before)}, after ${JSON.stringify(after)}`,
  );
  // The established running interest keeps a visible bar.
  expect(running(after)).toBeGreaterThan(0.05);
  // The shopper's own "Over time" bars read the same shares: running keeps its bar there too.
  const plainLong = await page
    .locator('[data-interests="long"] li')
    .evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-label'), Number(e.getAttribute('data-share'))] as const),
    );
  console.log(`[demo-profile-page] shopper's "over time" bars after the purchase ${JSON.stringify(plainLong)}`);
  expect(plainLong.find(([label]) => label === 'Running')?.[1] ?? 0).toBeGreaterThan(0.05);
  expect((await mapLabelClashes(page)).clashes).toEqual([]);
  expect(await clippedCells(page)).toEqual([]);
  await page.locator('details.engineers #d-int').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'engineers-charts-after-purchase');

  // At the phone's width the map is redrawn narrower (its labels keep their size): still no
  // overlaps, no clipped numbers.
  await page.setViewportSize(PHONE);
  await expect
    .poll(() => page.locator('details.engineers svg.map').getAttribute('viewBox'), { timeout: 10_000 })
    .toMatch(/^0 0 3[2-6]\d 300$/);
  await expect.poll(async () => (await mapLabelClashes(page)).clashes).toEqual([]);
  expect(await clippedCells(page)).toEqual([]);
  await page.locator('details.engineers svg.map').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'engineers-map-phone');
  await page.locator('details.engineers #d-int').scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'engineers-charts-phone');
  expect(pageErrors).toEqual([]);
});

test('for engineers: the download bar shows loaded of a total fixed before the bytes arrive, every file (wasm included) in it', async ({
  page,
  context,
  pageErrors,
}, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize(DESKTOP);
  // The runtime .wasm answers 3 s late, so the bar is seen mid-download rather than only at 100 %.
  await context.route(/\/portrait\/assets\/.*\.wasm$/, async (route) => {
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 3000));
    await route.fulfill({ response });
  });
  await page.goto(`${DEMO_URL}/`);
  await openEngineers(page);
  await expect(page.locator('details.engineers .progress')).toBeVisible();
  // Load the model now (the demo would in idle time or on a search).
  void page.evaluate(() =>
    (window as unknown as { portrait: (...a: unknown[]) => unknown }).portrait('call', 'loadModel'),
  );
  const seen: { loaded: number; total: number; value: number; text: string; files: number }[] = [];
  let shotMid = false;
  await expect
    .poll(
      async () => {
        const bar = page.locator('details.engineers .progress');
        // One read of the whole bar: read one attribute at a time, the bar can move between them.
        const { loaded, total, value, text } = await bar.evaluate((el) => ({
          loaded: Number(el.getAttribute('data-loaded')),
          total: Number(el.getAttribute('data-total')),
          value: Number(el.querySelector('progress')?.getAttribute('value')),
          text: el.querySelector('span')?.textContent ?? '',
        }));
        if (total > 0) {
          const files = await page.evaluate(async () => {
            const s = await (
              window as unknown as {
                portrait: (c: string) => Promise<{ model: { progress?: { files?: { total: number }[] } } }>;
              }
            ).portrait('status');
            return s?.model.progress?.files?.reduce((a, f) => a + f.total, 0) ?? 0;
          });
          seen.push({ loaded, total, value, text, files });
          if (!shotMid && loaded < total) {
            shotMid = true;
            await bar.scrollIntoViewIfNeeded();
            await shot(page, testInfo, 'engineers-download-bar-mid');
          }
        }
        return page.locator('details.engineers .facts dd').first().textContent();
      },
      { timeout: 120_000, intervals: [200] },
    )
    .toContain('ready');
  await expect(page.locator('details.engineers .progress progress')).toHaveAttribute('value', '100', {
    timeout: 5_000,
  });
  await shot(page, testInfo, 'engineers-download-bar-done');
  console.log(
    `[demo-profile-page] download bar samples: ${JSON.stringify(seen.map(({ text, ...r }) => ({ ...r, text })))}`,
  );
  const total = seen[0]?.total ?? 0;
  expect(total).toBeGreaterThan(1_000_000);
  // A sample before the end: the bar showed part of a total it already knew.
  expect(seen.some((s) => s.loaded < s.total && s.value < 100)).toBe(true);
  for (const s of seen) {
    expect(s.total).toBe(total);
    expect(s.files).toBe(total);
    expect(s.loaded).toBeLessThanOrEqual(s.total);
    expect(s.value).toBe(Math.round((100 * s.loaded) / s.total));
    expect(s.text).toContain(`of ${(total / 1e6).toFixed(1)} MB`);
  }
  expect(pageErrors).toEqual([]);
});
