import type { Page, Worker } from '@playwright/test';
import type { WorkerStatus } from '@portrait/worker/contract';
import { KITCHEN, LABELS, SPORTS, view } from '../engine/catalogue.ts';
import { recordFault } from '../fault-ledger.ts';
import { expect, readIndexedDb, SCENARIO_URL, test } from '../fixtures.ts';

// IndexedDB failing under the engine, on the engine scenario page (the shipped worker driven
// through its comlink contract). Each fault must leave the engine in memory mode with the reason
// in status(), every event reflected in the profile, and what was already stored intact when read
// back with the raw IndexedDB API; where storage comes back, memory is written back to it.

const ENGINE_PAGE = `${SCENARIO_URL}/engine/index.html`;

type Stored = { id: string; applied: number; product?: { id: string; title?: string } };
type Profile = { modelId: string; count: number; long?: ArrayLike<number> };

async function status(page: Page): Promise<WorkerStatus> {
  const r = await page.evaluate(() => window.engine.status());
  if (!r.ok) throw new Error(`status failed: ${r.error.code}`);
  return r.value;
}

/** Goes to the engine page and hands back its worker before anything opened storage. */
async function openPage(page: Page): Promise<Worker> {
  const created = page.waitForEvent('worker');
  await page.goto(ENGINE_PAGE);
  await page.waitForFunction(() => 'engine' in window);
  return created;
}

/** init() and wait for the model, as e2e/engine/scenario.ts does, without navigating. */
async function initEngine(page: Page) {
  const init = await page.evaluate((labels) => window.engine.init({ modelBaseUrl: '/models/', labels }), LABELS);
  expect(init.ok).toBe(true);
  await expect.poll(async () => (await status(page)).model.state, { timeout: 60_000 }).toBe('ready');
}

async function ingest(page: Page, events: ReturnType<typeof view>[]) {
  const r = await page.evaluate((e) => window.engine.ingest(e), events);
  expect(r).toMatchObject({ ok: true, value: { accepted: events.length, duplicates: 0 } });
}

const raw = async (page: Page) => ({
  events: (await readIndexedDb(page, 'portrait', 'events')) as Stored[],
  profiles: (await readIndexedDb(page, 'portrait', 'profiles')) as Profile[],
});

/** The ledger row of a storage fault, counted from the raw records read back after it. */
function storageRow(fault: string, sent: { id: string }[], back: Awaited<ReturnType<typeof raw>>, note: string) {
  const reflected = back.profiles[0]?.count ?? 0;
  const applied = new Set(back.events.filter((e) => e.applied === 1).map((e) => e.id));
  return {
    fault,
    eventsIn: sent.length,
    eventsReflected: reflected,
    syncsAcked: 0,
    lost: sent.filter((e) => !applied.has(e.id)).length,
    duplicated: reflected - new Set(back.events.map((e) => e.id)).size,
    note,
  };
}

/** Every number in a decoded profile (vectors included) is finite. */
function finite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>).every(Number.isFinite);
  if (Array.isArray(value)) return value.every(finite);
  if (value && typeof value === 'object') return Object.values(value).every(finite);
  return true;
}

/** The raw records: exactly `ids`, each once, all applied, and one finite profile counting them. */
function expectApplied(state: Awaited<ReturnType<typeof raw>>, ids: string[]) {
  expect(state.events.map((e) => e.id).sort()).toEqual([...ids].sort());
  expect(state.events.every((e) => e.applied === 1)).toBe(true);
  expect(state.profiles.length).toBe(1);
  expect(state.profiles[0]?.count).toBe(ids.length);
  expect(Array.from(state.profiles[0]?.long ?? []).length).toBeGreaterThan(0);
  expect(finite(state.profiles[0])).toBe(true);
}

/** Test hook in the worker: the next write to `profiles` is issued, then its transaction aborts. */
function abortNextProfileWrite(worker: Worker): Promise<void> {
  return worker.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    let armed = true;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      const req = put.apply(this, args);
      if (armed && this.name === 'profiles') {
        armed = false;
        this.transaction.abort();
      }
      return req;
    };
  });
}

// The quota test's bucket: a Storage Bucket has its own quota, which Chromium enforces on the
// IndexedDB inside it. CDP's Storage.overrideQuotaForOrigin changed nothing in this Chromium (156:
// neither the estimate nor a write, in an off-the-record or a persistent context), and the default
// bucket's 10 GiB cannot be filled in a test.
const BUCKET = 'portrait-quota';
const BUCKET_QUOTA = 1_000_000;
/** The Storage Buckets API (Chromium), not yet in TypeScript's DOM types. */
type WithBuckets = {
  storageBuckets: { open(name: string, options?: { quota?: number }): Promise<{ indexedDB: IDBFactory }> };
};

/** The raw records of the quota bucket's database, read from the page. */
async function rawBucket(page: Page) {
  const read = (store: string) =>
    page.evaluate(
      ([bucketName, storeName]) =>
        (navigator as unknown as WithBuckets).storageBuckets.open(bucketName).then(
          (bucket) =>
            new Promise<unknown[]>((resolve, reject) => {
              const open = bucket.indexedDB.open('portrait');
              open.onsuccess = () => {
                const req = open.result.transaction(storeName).objectStore(storeName).getAll();
                req.onsuccess = () => {
                  open.result.close();
                  resolve(req.result);
                };
                req.onerror = () => reject(req.error);
              };
              open.onerror = () => reject(open.error);
            }),
        ),
      [BUCKET, store] as const,
    );
  return { events: (await read('events')) as Stored[], profiles: (await read('profiles')) as Profile[] };
}

test("quota exceeded (test hook: the worker's IndexedDB is a Storage Bucket with a 1 MB quota, then filled): memory mode, written back once space is freed", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const worker = await openPage(page);
  await worker.evaluate(
    async ([name, quota]) => {
      const bucket = await (navigator as unknown as WithBuckets).storageBuckets.open(name, { quota });
      Object.defineProperty(self, 'indexedDB', { value: bucket.indexedDB, configurable: true });
    },
    [BUCKET, BUCKET_QUOTA] as const,
  );
  await initEngine(page);
  const before = SPORTS.slice(0, 3).map((t) => view(t, 'Sports'));
  await ingest(page, before);
  expectApplied(
    await rawBucket(page),
    before.map((e) => e.id),
  );

  // Fill the bucket with incompressible bytes until not even 16 more fit.
  const filled = await worker.evaluate(async () => {
    const idb = (self as unknown as { indexedDB: IDBFactory }).indexedDB;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = idb.open('filler', 1);
      r.onupgradeneeded = () => r.result.createObjectStore('s');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const write = (n: number) =>
      new Promise<string>((resolve) => {
        const bytes = new Uint8Array(n);
        for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(bytes.subarray(i, Math.min(n, i + 65_536)));
        const tx = db.transaction('s', 'readwrite');
        tx.objectStore('s').put(bytes, Math.random());
        tx.oncomplete = () => resolve('ok');
        tx.onabort = () => resolve(tx.error?.name ?? 'abort');
      });
    let total = 0;
    let last = '';
    for (const size of [65_536, 4_096, 256, 16]) {
      for (let i = 0; i < 1_000; i++) {
        last = await write(size);
        if (last !== 'ok') break;
        total += size;
      }
    }
    db.close();
    return { total, last };
  });
  expect(filled.last).toBe('QuotaExceededError');

  const during = KITCHEN.slice(0, 4).map((t) => view(t, 'Kitchen'));
  await ingest(page, during);
  const degraded = await status(page);
  expect(degraded.state).toBe('degraded');
  expect(degraded.persistence.kind).toBe('memory');
  expect(degraded.persistence.reason).toMatch(/^store\/failed: /);
  expect(degraded.persistence.reason).toMatch(/quota/i);
  // Kept in memory and reflected in the profile.
  expect(degraded.profileEvents).toBe(before.length + during.length);
  // What was stored before the fault reads back intact.
  expectApplied(
    await rawBucket(page),
    before.map((e) => e.id),
  );

  // Space again: the engine's own retry writes memory back to IndexedDB.
  await worker.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const r = (self as unknown as { indexedDB: IDBFactory }).indexedDB.deleteDatabase('filler');
        r.onsuccess = () => resolve();
        r.onerror = () => reject(r.error);
      }),
  );
  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 40_000 }).toBe('indexeddb');
  const all = [...before, ...during];
  const back = await rawBucket(page);
  expectApplied(
    back,
    all.map((e) => e.id),
  );

  await recordFault(
    testInfo,
    storageRow(
      'IndexedDB quota exceeded (1 MB bucket, filled)',
      all,
      back,
      `filled with ${Math.round(filled.total / 1024)} KiB; status: memory (QuotaExceededError), ${degraded.profileEvents} in the memory profile; written back`,
    ),
  );
});

test('open blocked by an old tab holding schema version 1 and ignoring versionchange: memory mode, then migrated and written back', async ({
  page,
  context,
}, testInfo) => {
  test.setTimeout(90_000);
  // The old tab: the first release's schema with two events in it, and a connection it never
  // closes, not even when asked (no versionchange handler closes it).
  const old = await context.newPage();
  await old.goto(`${SCENARIO_URL}/fault-storage/old-tab.html`);
  const legacy = SPORTS.slice(5, 7).map((t) => view(t, 'Sports'));
  await old.evaluate(
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
          (window as unknown as { oldDb: IDBDatabase }).oldDb = db;
          db.onversionchange = () => undefined;
          const tx = db.transaction(['events', 'profiles'], 'readwrite');
          for (const e of evs) tx.objectStore('events').put({ ...e, applied: 1 });
          tx.objectStore('profiles').put({ modelId: 'use-lite', vector: new Float32Array(512), count: evs.length });
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
        req.onerror = () => reject(req.error);
      }),
    legacy,
  );

  await openPage(page);
  await initEngine(page);
  const degraded0 = await status(page);
  expect(degraded0.persistence).toEqual({
    kind: 'memory',
    reason: 'store/blocked: another tab holds an older version open',
  });
  const during = KITCHEN.slice(0, 3).map((t) => view(t, 'Kitchen'));
  await ingest(page, during);
  const degraded = await status(page);
  expect(degraded.state).toBe('degraded');
  expect(degraded.persistence.kind).toBe('memory');
  expect(degraded.profileEvents).toBe(during.length);

  // The old tab's data, read through its own connection (a new open would queue behind the
  // engine's pending upgrade): untouched.
  const oldRecords = await old.evaluate(
    () =>
      new Promise<Stored[]>((resolve, reject) => {
        const db = (window as unknown as { oldDb: IDBDatabase }).oldDb;
        const req = db.transaction('events').objectStore('events').getAll();
        req.onsuccess = () => resolve(req.result as Stored[]);
        req.onerror = () => reject(req.error);
      }),
  );
  expect(oldRecords.map((e) => [e.id, e.product?.title, e.applied])).toEqual(
    legacy.map((e) => [e.id, e.product.title, 1]).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  );

  // The old tab finally goes: the engine's retry opens, migrates (the version-1 events become
  // pending for the new profile shape) and writes back what it kept in memory.
  await old.evaluate(() => (window as unknown as { oldDb: IDBDatabase }).oldDb.close());
  await old.close();
  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 40_000 }).toBe('indexeddb');
  // The next event folds the migrated ones too: each once.
  const after = [view(SPORTS[8] as string, 'Sports')];
  await ingest(page, after);
  const all = [...legacy, ...during, ...after];
  const back = await raw(page);
  expectApplied(
    back,
    all.map((e) => e.id),
  );
  // The version-1 records kept their content through the migration.
  for (const e of legacy) expect(back.events.find((b) => b.id === e.id)?.product?.title).toBe(e.product.title);

  await recordFault(
    testInfo,
    storageRow(
      'IndexedDB open blocked by an old tab (v1)',
      all,
      back,
      `status: memory (store/blocked) with ${degraded.profileEvents} in the memory profile; migrated and written back`,
    ),
  );
});

test('IndexedDB missing (test hook: indexedDB removed from the worker global before init): memory mode, written back once it returns', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const worker = await openPage(page);
  // Playwright evaluates in the worker itself: the global goes before the engine ever looks.
  await worker.evaluate(() => {
    const g = self as unknown as Record<string, unknown>;
    g.__savedIndexedDb = Object.getOwnPropertyDescriptor(self, 'indexedDB');
    Object.defineProperty(self, 'indexedDB', { value: undefined, configurable: true });
  });
  await initEngine(page);
  const events = SPORTS.slice(0, 4).map((t) => view(t, 'Sports'));
  await ingest(page, events);
  const degraded = await status(page);
  expect(degraded.state).toBe('degraded');
  expect(degraded.persistence).toEqual({
    kind: 'memory',
    reason: 'store/unavailable: IndexedDB is not available',
  });
  expect(degraded.profileEvents).toBe(events.length);
  expect(degraded.storedEvents).toBe(events.length);
  // Nothing was written anywhere: the page sees no database.
  expect((await raw(page)).events).toEqual([]);

  // IndexedDB comes back: the engine's retry (5 s, then 10 s, …) writes memory to it.
  await worker.evaluate(() => {
    const saved = (self as unknown as Record<string, PropertyDescriptor | undefined>).__savedIndexedDb;
    // An own property saved is put back; otherwise removing ours shows the prototype's again.
    if (saved) Object.defineProperty(self, 'indexedDB', saved);
    else delete (self as unknown as Record<string, unknown>).indexedDB;
  });
  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 40_000 }).toBe('indexeddb');
  const back = await raw(page);
  expectApplied(
    back,
    events.map((e) => e.id),
  );

  await recordFault(
    testInfo,
    storageRow(
      'IndexedDB missing (removed from worker global)',
      events,
      back,
      `status: memory (store/unavailable), ${degraded.profileEvents} in the memory profile; written back when it returned`,
    ),
  );
});

test('a write aborted mid-transaction (test hook: the fold transaction aborted at its profile write): memory mode, nothing half-applied, no event folded twice', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const worker = await openPage(page);
  await initEngine(page);
  const before = SPORTS.slice(0, 3).map((t) => view(t, 'Sports'));
  await ingest(page, before);
  expectApplied(
    await raw(page),
    before.map((e) => e.id),
  );

  // The fold's transaction aborts after it already flagged the batch's events applied.
  await abortNextProfileWrite(worker);
  const during = KITCHEN.slice(0, 4).map((t) => view(t, 'Kitchen'));
  await ingest(page, during);
  const degraded = await status(page);
  expect(degraded.state).toBe('degraded');
  expect(degraded.persistence.kind).toBe('memory');
  expect(degraded.persistence.reason).toMatch(/^store\/failed: /);
  // The aborted batch is folded in memory (from the events IndexedDB still had pending).
  expect(degraded.profileEvents).toBe(before.length + during.length);

  // The abort rolled the whole transaction back: the batch is pending, the old profile stands.
  const mid = await raw(page);
  expect(mid.events.length).toBe(before.length + during.length);
  for (const e of mid.events) expect(e.applied).toBe(before.some((b) => b.id === e.id) ? 1 : 0);
  expect(mid.profiles.map((p) => p.count)).toEqual([before.length]);
  expect(finite(mid.profiles[0])).toBe(true);

  // The engine's retry writes back; the batch is now applied there, and the next event folds
  // only itself.
  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 30_000 }).toBe('indexeddb');
  const after = [view(KITCHEN[6] as string, 'Kitchen')];
  await ingest(page, after);
  const all = [...before, ...during, ...after];
  const back = await raw(page);
  expectApplied(
    back,
    all.map((e) => e.id),
  );

  await recordFault(
    testInfo,
    storageRow(
      'IndexedDB write aborted mid-transaction (hook)',
      all,
      back,
      `status: memory (${degraded.persistence.reason?.split(':')[0]}), rolled back, not half-applied; written back`,
    ),
  );
});

test('a write aborted mid-transaction in the first fold after the model loads (test hook): memory mode, the model stays ready', async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const worker = await openPage(page);
  // Armed before init: the first write to `profiles` is the fold the model runs once it is ready,
  // over the events stored while it downloaded.
  await abortNextProfileWrite(worker);
  const init = await page.evaluate((labels) => window.engine.init({ modelBaseUrl: '/models/', labels }), LABELS);
  expect(init.ok).toBe(true);
  const early = SPORTS.slice(0, 3).map((t) => view(t, 'Sports'));
  await ingest(page, early);
  await expect.poll(async () => (await status(page)).model.state, { timeout: 60_000 }).toMatch(/^(ready|error)$/);
  const degraded = await status(page);
  expect(degraded.model.state).toBe('ready');
  expect(degraded.persistence.kind).toBe('memory');
  expect(degraded.persistence.reason).toMatch(/^store\/failed: AbortError/);
  expect(degraded.profileEvents).toBe(early.length);
  // Rolled back: the events are stored, pending, and no profile was written.
  const mid = await raw(page);
  expect(mid.events.map((e) => e.applied)).toEqual([0, 0, 0]);
  expect(mid.profiles).toEqual([]);

  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 30_000 }).toBe('indexeddb');
  const after = [view(SPORTS[4] as string, 'Sports')];
  await ingest(page, after);
  const all = [...early, ...after];
  const back = await raw(page);
  expectApplied(
    back,
    all.map((e) => e.id),
  );

  await recordFault(
    testInfo,
    storageRow(
      'IndexedDB abort in the model-ready fold (hook)',
      all,
      back,
      `status: memory (AbortError) with the model ready, ${degraded.profileEvents} in the memory profile; written back`,
    ),
  );
});

test("one tab in memory mode (test hook: a fold aborted) while another folds into IndexedDB: the write-back keeps the other tab's folds", async ({
  context,
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const worker = await openPage(page);
  await initEngine(page);
  const before = SPORTS.slice(0, 3).map((t) => view(t, 'Sports'));
  await ingest(page, before);
  await abortNextProfileWrite(worker);
  const during = KITCHEN.slice(0, 3).map((t) => view(t, 'Kitchen'));
  await ingest(page, during);
  expect((await status(page)).persistence.kind).toBe('memory');

  // A second tab on IndexedDB folds its own events (and the first tab's batch the abort left
  // pending there) while the first tab is still in memory.
  const other = await context.newPage();
  await openPage(other);
  await initEngine(other);
  const elsewhere = SPORTS.slice(3, 6).map((t) => view(t, 'Sports'));
  await ingest(other, elsewhere);
  const folded = await raw(other);
  expect(folded.profiles.map((p) => p.count)).toEqual([before.length + during.length + elsewhere.length]);

  // The first tab writes back: the stored profile, with the other tab's folds, stands.
  await expect.poll(async () => (await status(page)).persistence.kind, { timeout: 30_000 }).toBe('indexeddb');
  const after = [view(KITCHEN[5] as string, 'Kitchen')];
  await ingest(page, after);
  const all = [...before, ...during, ...elsewhere, ...after];
  const back = await raw(page);
  expectApplied(
    back,
    all.map((e) => e.id),
  );

  await recordFault(
    testInfo,
    storageRow(
      'memory write-back while another tab folded (hook)',
      all,
      back,
      "the other tab's 3 folds kept; the memory tab's events folded once",
    ),
  );
});
