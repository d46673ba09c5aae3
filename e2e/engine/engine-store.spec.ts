import type { Page } from '@playwright/test';
import { expect, readIndexedDb, SCENARIO_URL, test } from '../fixtures.ts';
import { KITCHEN, SPORTS, view } from './catalogue.ts';
import { ingest, start, storedProfile } from './scenario.ts';

type Stored = { id: string; product?: { id: string }; applied: number; ts: number };

test('forgetItem and forgetSince remove events and rebuild the profile without them', async ({ page }) => {
  test.setTimeout(90_000);
  await start(page);
  const t0 = Date.now();
  const sports = SPORTS.slice(0, 4).map((t, i) => view(t, 'Sports', t0 + i));
  const kitchen = KITCHEN.slice(0, 3).map((t, i) => view(t, 'Kitchen', t0 + 1000 + i));
  await ingest(page, [...sports, ...kitchen]);
  expect((await storedProfile(page))?.count).toBe(7);

  const one = await page.evaluate((id) => window.engine.forgetItem(id), sports[0]?.product.id as string);
  expect(one).toEqual({ ok: true, value: 1 });
  let events = (await readIndexedDb(page, 'portrait', 'events')) as Stored[];
  expect(events.map((e) => e.product?.id)).not.toContain(sports[0]?.product.id);
  expect((await storedProfile(page))?.count).toBe(6);

  const since = await page.evaluate((ts) => window.engine.forgetSince(ts), t0 + 1000);
  expect(since).toEqual({ ok: true, value: 3 });
  events = (await readIndexedDb(page, 'portrait', 'events')) as Stored[];
  expect(events.length).toBe(3);
  expect((await storedProfile(page))?.count).toBe(3);
  const top = await page.evaluate(() => window.engine.explain(1));
  expect(top.ok && top.value[0]?.label).toBe('running and sports gear');
});

async function seedVersion1(page: Page) {
  // The schema the first release shipped: events with `applied` flags and a one-vector profile.
  await page.evaluate(
    (evs) =>
      new Promise<void>((resolve, reject) => {
        const req = indexedDB.open('portrait', 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          const events = db.createObjectStore('events', { keyPath: 'id' });
          events.createIndex('ts', 'ts');
          events.createIndex('applied', 'applied');
          db.createObjectStore('profiles', { keyPath: 'modelId' });
          db.createObjectStore('outbox', { keyPath: 'modelId' });
          db.createObjectStore('meta');
        };
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction(['events', 'profiles'], 'readwrite');
          for (const e of evs) tx.objectStore('events').put({ ...e, applied: 1 });
          tx.objectStore('profiles').put({
            modelId: 'use-lite',
            vector: new Float32Array(512),
            count: evs.length,
            updatedAt: 1,
          });
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    SPORTS.slice(0, 3).map((t) => view(t, 'Sports')),
  );
}

test('a version-1 database is migrated: its events are kept and folded into the new profile shape', async ({
  page,
}) => {
  await page.goto(`${SCENARIO_URL}/engine/index.html`);
  await seedVersion1(page);
  await start(page);
  await expect.poll(async () => (await storedProfile(page))?.count).toBe(3);
  const profile = (await readIndexedDb(page, 'portrait', 'profiles'))[0] as Record<string, unknown>;
  expect(Object.keys(profile)).toEqual(expect.arrayContaining(['long', 'short', 'interests']));
  const events = (await readIndexedDb(page, 'portrait', 'events')) as Stored[];
  expect(events.length).toBe(3);
  expect(events.every((e) => e.applied === 1)).toBe(true);
});
