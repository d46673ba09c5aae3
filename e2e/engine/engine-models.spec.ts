import { join } from 'node:path';
import { encodeShard, eventText, type PortraitEvent, shardOf } from '@portrait/core';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import { expect, readIndexedDb, SCENARIO_URL, test } from '../fixtures.ts';
import { KITCHEN, SPORTS, view } from './catalogue.ts';
import { ingest, start, storedProfile } from './scenario.ts';

type Profile = { modelId: string; dim: number; count: number };
const MODELS = join(import.meta.dirname, '..', '..', 'packages', 'model', 'dist', 'models');

test('any BERT folder by URL: switching to the tiny BERT rebuilds the profile from stored events, spaces never mixed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await start(page);
  for (const t of SPORTS.slice(0, 5)) await ingest(page, [view(t, 'Sports')]);
  expect(await storedProfile(page)).toMatchObject({ modelId: 'use-lite', dim: 512, count: 5 });

  await page.reload();
  await start(page, { modelId: 'tiny-bert', labels: [] });
  const status = await page.evaluate(() => window.engine.status());
  expect(status.ok && status.value.model).toMatchObject({ id: 'tiny-bert', state: 'ready' });
  await expect
    .poll(async () => (await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])
    .toEqual([expect.objectContaining({ modelId: 'tiny-bert', dim: 32, count: 5 })]);
});

test('merchant catalogue vectors are used before the model runs', async ({ page }) => {
  test.setTimeout(120_000);
  const events = KITCHEN.map((t) => view(t, 'Home > Kitchen')) as unknown as PortraitEvent[];
  // What the collector's import command publishes: the same model's vectors of the same item text.
  const encoder = await loadEncoder({
    baseUrl: MODELS,
    modelId: 'use-lite',
    device: 'cpu',
    source: fileSource(MODELS),
  });
  const vectors = await encoder.embed(events.map((e) => eventText(e) ?? ''));
  await encoder.dispose();
  const SHARDS = 4;
  const shards = Array.from({ length: SHARDS }, () => [] as { id: string; vector: Float32Array }[]);
  events.forEach((e, i) => {
    const id = e.product?.id ?? '';
    shards[shardOf(id, SHARDS)]?.push({ id, vector: vectors[i] as Float32Array });
  });
  const served: string[] = [];
  // On the context: requests from the page's worker are routed there too.
  await page.context().route('**/catalogue/**', async (route) => {
    const url = new URL(route.request().url());
    served.push(url.pathname);
    if (url.pathname.endsWith('/manifest.json')) {
      return route.fulfill({ json: { modelId: 'use-lite', dim: 512, shards: SHARDS, version: 'v1' } });
    }
    const n = Number(/\/v1\/(\d+)\.bin$/.exec(url.pathname)?.[1]);
    return route.fulfill({ body: Buffer.from(encodeShard(shards[n] ?? [], 512)) });
  });

  await start(page, { catalogueUrl: '/catalogue/' });
  const r = await ingest(page, events);
  expect(r.ok && r.value.accepted).toBe(10);
  const status = await page.evaluate(() => window.engine.status());
  expect(status.ok && status.value.timings).toMatchObject({ catalogueHits: 10, modelRuns: 0 });
  expect(status.ok && status.value.profileEvents).toBe(10);
  expect(served.filter((p) => p.endsWith('.bin')).length).toBeLessThanOrEqual(SHARDS);
});

test('a missing model is reported as a typed error naming the file; events stay queued, none lost', async ({
  page,
}) => {
  await page.goto(`${SCENARIO_URL}/engine/index.html`);
  await page.waitForFunction(() => 'engine' in window);
  await page.evaluate(() => window.engine.init({ modelBaseUrl: '/no-such-folder/' }));
  await expect
    .poll(async () => {
      const s = await page.evaluate(() => window.engine.status());
      return s.ok ? s.value.model : undefined;
    })
    .toMatchObject({
      state: 'error',
      error: { code: 'model/not-found', message: expect.stringContaining('config.json') },
    });
  const r = await ingest(
    page,
    SPORTS.slice(0, 3).map((t) => view(t, 'Sports')),
  );
  expect(r.ok && r.value.accepted).toBe(3);
  const status = await page.evaluate(() => window.engine.status());
  expect(status.ok && status.value).toMatchObject({
    state: 'degraded',
    storedEvents: 3,
    pendingEvents: 3,
    profileEvents: 0,
  });
});

test('an item close to a sensitive topic is stored but never folded into the profile, and counted', async ({
  page,
}) => {
  await start(page);
  await ingest(page, [view(SPORTS[0] as string, 'Sports')]);
  const r = await ingest(page, [view('Early pregnancy test kit, 2 tests', 'Health')]);
  expect(r.ok && r.value.accepted).toBe(1);
  const status = await page.evaluate(() => window.engine.status());
  expect(status.ok && status.value).toMatchObject({
    storedEvents: 2,
    pendingEvents: 0,
    profileEvents: 1,
    sensitiveSkipped: 1,
  });
  expect(status.ok && status.value.model.sensitiveThreshold).toBeGreaterThanOrEqual(0.5);
});

test('IndexedDB deleted under the engine: it carries on in memory, says so, and writes back when it can', async ({
  page,
}) => {
  test.setTimeout(90_000);
  await start(page);
  for (const t of SPORTS.slice(0, 2)) await ingest(page, [view(t, 'Sports')]);
  // What "clear site data" or another tab's reset does: the worker's connection is closed under it.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const req = indexedDB.deleteDatabase('portrait');
        req.onsuccess = () => resolve();
        req.onblocked = () => resolve();
      }),
  );
  const r = await ingest(page, [view(SPORTS[2] as string, 'Sports')]);
  expect(r.ok && r.value.accepted).toBe(1);
  const degraded = await page.evaluate(() => window.engine.status());
  expect(degraded.ok && degraded.value).toMatchObject({
    state: 'degraded',
    persistence: { kind: 'memory' },
    profileEvents: 3,
  });
  await expect
    .poll(async () => ((await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])[0]?.count, { timeout: 60_000 })
    .toBe(3);
  const back = await page.evaluate(() => window.engine.status());
  expect(back.ok && back.value.persistence).toEqual({ kind: 'indexeddb' });
});
