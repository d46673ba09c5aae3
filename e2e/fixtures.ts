import { test as base, expect } from '@playwright/test';

export { expect };

/** Ports the webServers in playwright.config.ts listen on. */
export const DEMO_URL = 'http://localhost:5173';
export const COLLECTOR_URL = 'http://127.0.0.1:8787';
export const SCENARIO_URL = 'http://localhost:5174';

export { WEBGPU_ARGS } from './chromium';

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
});

/** Reads all records of an IndexedDB object store straight from the page, not through app state. */
export function readIndexedDb(page: import('@playwright/test').Page, db: string, store: string): Promise<unknown[]> {
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
export async function storedEvents(page: import('@playwright/test').Page): Promise<StoredCapture[]> {
  return (await readIndexedDb(page, 'portrait', 'events')) as StoredCapture[];
}

/**
 * Hides or shows the page as a tab switch does. Headless Chromium keeps every tab 'visible'
 * (neither bringToFront nor minimising changes it), so the document's visibility is overridden
 * and the real `visibilitychange` event dispatched; the tag's own listener does the rest.
 */
export function setPageVisibility(page: import('@playwright/test').Page, visible: boolean): Promise<void> {
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
export async function storedProfile(page: import('@playwright/test').Page): Promise<StoredProfile | undefined> {
  return ((await readIndexedDb(page, 'portrait', 'profiles')) as StoredProfile[])[0];
}

/** The tag's command queue on the page (`window.portrait`). */
export type PortraitCommand = (...args: unknown[]) => unknown;
