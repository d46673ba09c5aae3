import { type BrowserContext, test as base, expect, type Page } from '@playwright/test';
import type { WorkerStatus } from '@portrait/worker/contract';

export { expect };

/** Ports the webServers in playwright.config.ts listen on. */
export const DEMO_URL = 'http://localhost:5173';
export const COLLECTOR_URL = 'http://127.0.0.1:8787';
export const SCENARIO_URL = 'http://localhost:5174';

export { WEBGPU_ARGS } from '@portrait/fixtures/chromium';

/** A request the page (or its worker) sent, as the network saw it. */
export interface SeenRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

interface Fixtures {
  /** Every request sent to the collector during the test. */
  collectorRequests: SeenRequest[];
  /** Console errors and uncaught page errors; a test may assert it stays empty. */
  pageErrors: string[];
  /** Puts the demo shop's device in the profile arm of its holdout unless a test chose one. */
  demoArm: undefined;
}

export const test = base.extend<Fixtures>({
  collectorRequests: async ({ context }, use) => {
    const seen: SeenRequest[] = [];
    context.on('request', (req) => {
      if (!req.url().startsWith(COLLECTOR_URL)) return;
      seen.push({ url: req.url(), method: req.method(), headers: req.headers(), body: req.postDataBuffer() });
    });
    await use(seen);
  },
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await use(errors);
  },
  // The demo picks 10 % of devices at random for its holdout (demo/src/client/holdout.ts), whose
  // recommendations ignore the profile: scenarios about personalised lists must not land there by chance.
  demoArm: [
    async ({ context }, use) => {
      await context.addInitScript(() => {
        if (location.port === '5173' && !localStorage.getItem('portrait-demo-arm'))
          localStorage.setItem('portrait-demo-arm', 'on');
      });
      await use(undefined);
    },
    { auto: true },
  ],
});

/** Reads all records of an IndexedDB object store straight from the page, not through app state. */
export function readIndexedDb(page: Page, db: string, store: string): Promise<unknown[]> {
  return page.evaluate(
    ([dbName, storeName]) =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        // Opening a database that does not exist yet would create it empty at version 1 and break
        // the app's own upgrade; abort instead and report no records.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve([]) : reject(open.error));
        open.onsuccess = () => {
          const conn = open.result;
          if (!conn.objectStoreNames.contains(storeName)) {
            conn.close();
            resolve([]);
            return;
          }
          const req = conn.transaction(storeName).objectStore(storeName).getAll();
          req.onsuccess = () => {
            conn.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    [db, store] as const,
  );
}

/** An event as the worker stored it (the fields the capture scenarios assert on). */
export interface StoredCapture {
  id: string;
  type: string;
  ts: number;
  product?: { id: string; title?: string; category?: string; brand?: string; price?: number };
  query?: string;
  dwellMs?: number;
  scrollDepth?: number;
  quantity?: number;
  name?: string;
  /** 1 once the event is folded into the profile, 0 while pending. */
  applied?: number;
}

/** The worker's event log, read straight from IndexedDB (empty when the database does not exist). */
export async function storedEvents(page: Page): Promise<StoredCapture[]> {
  return (await readIndexedDb(page, 'portrait', 'events')) as StoredCapture[];
}

/**
 * Hides or shows the page as a tab switch does. Headless Chromium keeps every tab 'visible'
 * (neither bringToFront nor minimising changes it), so the document's visibility is overridden
 * and the real `visibilitychange` event dispatched; the tag's own listener does the rest.
 */
export function setPageVisibility(page: Page, visible: boolean): Promise<void> {
  return page.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (v ? 'visible' : 'hidden') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => !v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visible);
}

/** The worker's stored profile (the fields the fault scenarios compare), read from IndexedDB. */
export interface StoredProfile {
  modelId: string;
  count: number;
  long: Float32Array;
  short: Float32Array;
  longWeight: number;
  shortWeight: number;
  updatedAt: number;
  firstAt: number;
  interests: { vector: Float32Array; weight: number; count: number; updatedAt: number }[];
}

/** The first stored profile (there is one per model; the scenarios run one model). */
export async function storedProfile(page: Page): Promise<StoredProfile | undefined> {
  return ((await readIndexedDb(page, 'portrait', 'profiles')) as StoredProfile[])[0];
}

/** The tag's command queue on the page (`window.portrait`). */
export type PortraitCommand = (...args: unknown[]) => unknown;

/** Calls the tag's command queue on the page (`portrait('track', …)`) and returns what it resolves to. */
export function portraitCommand(page: Page, ...args: unknown[]): Promise<unknown> {
  return page.evaluate((a) => (window as unknown as { portrait: PortraitCommand }).portrait(...a), args);
}

/** The worker's status through the tag (`portrait('status')`); undefined when the tag has no worker. */
export function workerStatus(page: Page): Promise<WorkerStatus | undefined> {
  return portraitCommand(page, 'status') as Promise<WorkerStatus | undefined>;
}

/**
 * Waits until the page's worker has stored events and folded all of them (or given up on the
 * model). Until then its queue is busy, and a batch handed over on pagehide can die with the page
 * (the engine serialises ingest behind folds).
 */
export async function workerSettled(page: Page, timeout = 45_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const s = await workerStatus(page);
        return !!s && s.storedEvents > 0 && (s.pendingEvents === 0 || ['error', 'deferred'].includes(s.model.state));
      },
      { timeout },
    )
    .toBe(true);
}

/**
 * Waits until the work the tag defers has run: the page's `load`, then two idle periods. The tag
 * starts its worker in the first idle period after load (or after its first event, if later), so
 * a tag that meant to capture what the test did before this call has created its worker by now:
 * a check for "no worker, nothing stored" made afterwards cannot pass because the tag was slow.
 * Idle callbacks run in the order they were requested, and the test's come after the tag's.
 */
export async function tagIdle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.evaluate(async () => {
    // The tag's own deadline (schedule.ts): a busy page still gets its idle callbacks within 2 s.
    const idle = () => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2000 }));
    await idle();
    await idle();
  });
}

/**
 * Tracks a marker event through the tag and waits until the worker has stored it. The tag hands
 * events over in the order it captured them, so once the marker is in the event log everything
 * captured before it is stored (or was refused): an event missing from the log then was never
 * captured, however slow the worker. Returns the marker's product id, for leaving it out of counts.
 */
export async function trackMarker(page: Page, timeout = 15_000): Promise<string> {
  const id = `marker-${Math.random().toString(36).slice(2, 10)}`;
  await portraitCommand(page, 'track', 'like', { product: { id } });
  await expect.poll(async () => (await storedEvents(page)).some((e) => e.product?.id === id), { timeout }).toBe(true);
  return id;
}

/**
 * The encoder's files (onnx, tokenizer, manifest.json, config) and the runtime that runs it
 * (onnxruntime's wasm and scripts, transformers.js), as the built worker loads them from `/portrait/`.
 */
export const MODEL_FILE = /\/portrait\/(models\/|assets\/ort-|chunks\/(ort|transformers)[.-])/;

/** A model or runtime file the page or its worker asked for, with the status it got. */
export interface ModelFileResponse {
  url: string;
  status: number;
}

/** Records every response to a model or runtime file in the context (workers' included). */
export function modelFileResponses(context: BrowserContext): ModelFileResponse[] {
  const seen: ModelFileResponse[] = [];
  context.on('response', (r) => {
    if (MODEL_FILE.test(new URL(r.url()).pathname)) seen.push({ url: r.url(), status: r.status() });
  });
  // A request that never got a response (blocked, aborted) was still asked for.
  context.on('requestfailed', (r) => {
    if (MODEL_FILE.test(new URL(r.url()).pathname)) seen.push({ url: r.url(), status: 0 });
  });
  return seen;
}

/** One value of the worker's `meta` store (keys in packages/worker/src/store/meta-keys.ts). */
export function readMeta(page: Page, key: string): Promise<unknown> {
  return page.evaluate(
    (k) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('portrait');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve(undefined) : reject(open.error));
        open.onsuccess = () => {
          const conn = open.result;
          const req = conn.transaction('meta').objectStore('meta').get(k);
          req.onsuccess = () => {
            conn.close();
            resolve(req.result);
          };
          req.onerror = () => reject(req.error);
        };
      }),
    key,
  );
}
