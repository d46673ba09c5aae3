import type { BrowserContext, Page } from '@playwright/test';
import { decodePayload } from '@portrait/core';
import { COLLECTOR_URL, DEMO_URL, expect, readIndexedDb } from '../fixtures.ts';

// What the demo shop's device holds and what its tag hands over, for the network fault scenarios
// (fault-offline, fault-collector): read with the raw IndexedDB API and from the page's own
// messages to its worker, never through the engine's answers.

export type StoredEvent = { id: string; applied: number; type: string };
export type OutboxRecord = { idempotencyKey: string; attempts: number; notBefore: number };

export const outbox = async (page: Page) => (await readIndexedDb(page, 'portrait', 'outbox')) as OutboxRecord[];
export const storedEvents = async (page: Page) => (await readIndexedDb(page, 'portrait', 'events')) as StoredEvent[];
export const profileCount = async (page: Page) =>
  ((await readIndexedDb(page, 'portrait', 'profiles')) as { count: number }[])[0]?.count ?? 0;

/** A view through the tag's public command queue, as a shop's own code would send it. */
export const trackView = (page: Page, id: string, title: string, category: string) =>
  page.evaluate(
    ([i, t, c]) =>
      (window as unknown as { portrait: (...a: unknown[]) => void }).portrait('track', 'view', {
        product: { id: i, title: t, category: c },
      }),
    [id, title, category] as const,
  );

/**
 * Every event id the tag hands to its worker (the comlink `ingest` messages), recorded from the
 * page: what "captured" means in the fault rows, independent of what the worker then stored.
 */
export async function watchHandedEvents(context: BrowserContext): Promise<Set<string>> {
  const handed = new Set<string>();
  await context.exposeBinding('__faultHanded', (_source, ids: string[]) => {
    for (const id of ids) handed.add(id);
  });
  await context.addInitScript(() => {
    const post = Worker.prototype.postMessage as (this: Worker, ...a: unknown[]) => void;
    Worker.prototype.postMessage = function (this: Worker, ...args: unknown[]) {
      const m = args[0] as { path?: string[]; argumentList?: { value?: unknown }[] } | undefined;
      const list = m?.path?.[0] === 'ingest' ? m.argumentList?.[0]?.value : undefined;
      if (Array.isArray(list)) {
        const report = (window as unknown as { __faultHanded: (ids: string[]) => unknown }).__faultHanded;
        void report(list.map((e: { id: string }) => e.id));
      }
      return post.apply(this, args);
    } as typeof Worker.prototype.postMessage;
  });
  return handed;
}

/** Waits until every event handed over so far is stored and applied to the profile. */
export async function allApplied(page: Page, handed: Set<string>, timeout = 60_000): Promise<void> {
  await expect
    .poll(
      async () => {
        const stored = await storedEvents(page);
        return [...handed].filter((id) => !stored.some((e) => e.id === id && e.applied === 1)).length;
      },
      { timeout },
    )
    .toBe(0);
}

export type Fault = 'down' | 'slow' | '500' | '429';
export interface Attempt {
  at: number;
  injected: Fault | undefined;
  key: string | undefined;
  /** The real collector's answer, for attempts passed through to it. */
  status?: number;
}

// Injected answers are cross-origin like the collector's own: they need its CORS headers.
const CORS = {
  'access-control-allow-origin': DEMO_URL,
  'access-control-expose-headers': 'retry-after',
  'content-type': 'application/json',
};

/**
 * Routes the collector and records every sync sent to it: the next `faults` profile POSTs get
 * `fault` (injected), everything else reaches the real collector (fetched by the runner and
 * handed back, so the answer's status is recorded with the payload's idempotency key).
 */
export async function routeCollector(context: BrowserContext, fault?: Fault, faults = 0, retryAfterS = 5) {
  const state = { faultsLeft: faults, attempts: [] as Attempt[] };
  await context.route(
    (url) => url.href.startsWith(COLLECTOR_URL),
    async (route) => {
      const req = route.request();
      const isSync = req.method() === 'POST' && new URL(req.url()).pathname === '/v1/profile';
      const injected = isSync
        ? state.faultsLeft > 0
          ? fault
          : undefined
        : fault === 'down' && state.faultsLeft > 0
          ? fault
          : undefined;
      let attempt: Attempt | undefined;
      if (isSync) {
        const decoded = decodePayload(new Uint8Array(req.postDataBuffer() ?? Buffer.alloc(0)));
        attempt = { at: Date.now(), injected, key: decoded.ok ? decoded.payload.idempotencyKey : undefined };
        state.attempts.push(attempt);
        if (injected) state.faultsLeft--;
      }
      if (injected === 'down') return route.abort('connectionrefused');
      if (injected === '500')
        return route.fulfill({ status: 500, headers: CORS, body: '{"code":"injected/server-error"}' });
      if (injected === '429')
        return route.fulfill({
          status: 429,
          headers: { ...CORS, 'retry-after': String(retryAfterS) },
          body: '{"code":"injected/rate-limited"}',
        });
      if (injected === 'slow') await new Promise((r) => setTimeout(r, 10_000));
      if (!attempt) return route.fallback();
      const res = await route.fetch();
      attempt.status = res.status();
      return route.fulfill({ response: res });
    },
  );
  return state;
}

/** Waits until nothing is pending in the outbox: the newest profile went out. */
export async function drainOutbox(page: Page, timeout = 45_000) {
  await expect.poll(async () => (await outbox(page)).length, { timeout }).toBe(0);
}

/**
 * The fault row's counts, measured. Captured = handed over by the page or stored by the worker (a
 * message sent while the page unloads may reach the worker but not the test's listener). Asserts
 * no event applied twice (the profile counts exactly the distinct applied events), none lost, and
 * the newest profile stored by the collector exactly once.
 */
export async function measure(page: Page, handed: Set<string>, attempts: Attempt[]) {
  await allApplied(page, handed);
  const events = await storedEvents(page);
  const ids = events.map((e) => e.id);
  const applied = new Set(events.filter((e) => e.applied === 1).map((e) => e.id));
  const captured = new Set([...handed, ...ids]);
  const count = await profileCount(page);
  const stored = attempts.filter((a) => a.status === 201).map((a) => a.key);
  const acked = attempts.filter((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
  const lost = [...captured].filter((id) => !applied.has(id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(lost).toEqual([]);
  expect(count).toBe(applied.size);
  // The outbox is empty, so the last sync sent carried the newest profile: stored exactly once
  // (a replay of it would be answered 200), and no key stored twice.
  const latest = attempts.at(-1);
  expect([200, 201]).toContain(latest?.status);
  expect(stored.filter((k) => k === latest?.key).length).toBe(1);
  expect(new Set(stored).size).toBe(stored.length);
  return {
    eventsIn: captured.size,
    eventsReflected: count,
    syncsAcked: acked.length,
    lost: lost.length,
    duplicated: count - applied.size + (stored.length - new Set(stored).size),
  };
}
