import type { Page, Route } from '@playwright/test';
import { SPORTS, view } from '../engine/catalogue.ts';
import { ingest } from '../engine/scenario.ts';
import { recordFault } from '../fault-ledger.ts';
import { expect, readIndexedDb, SCENARIO_URL, test } from '../fixtures.ts';

// The model file the engine downloads is bad: missing, cut short, or not the bytes the manifest
// vouches for. The engine must say so (a degraded status with a typed error naming the file), keep
// every event it is given, and fold them all once the good file is served again and its retry
// (backoff from 5 s) loads the model.

type Status = {
  state: string;
  model: { state: string; error?: { code: string; message: string }; retryAt?: number; backend?: string };
  storedEvents: number;
  pendingEvents: number;
  profileEvents: number;
};
type Stored = { id: string; applied: 0 | 1 };
type Profile = { count: number };

const ONNX = 'use-lite/onnx/model_quantized.onnx';

const status = async (page: Page) => {
  const s = await page.evaluate(() => window.engine.status());
  return s.ok ? (s.value as Status) : undefined;
};

/** Serves the real file changed by `bad`, or a 404 when it returns undefined. */
const serveBad = (bad: (body: Buffer) => Buffer | undefined) => async (route: Route) => {
  const real = await route.fetch();
  const body = bad(await real.body());
  if (!body) return route.fulfill({ status: 404, body: '' });
  return route.fulfill({ status: 200, body, contentType: 'application/octet-stream' });
};

const FAULTS = [
  { name: 'model 404', code: 'model/not-found', bad: () => undefined },
  { name: 'truncated .onnx', code: 'model/truncated', bad: (b: Buffer) => b.subarray(0, b.length >> 1) },
  {
    name: 'wrong sha256 (one byte flipped)',
    code: 'model/sha-mismatch',
    bad: (b: Buffer) => {
      const copy = Buffer.from(b);
      const at = copy.length >> 1;
      copy[at] = (copy[at] ?? 0) ^ 0xff;
      return copy;
    },
  },
] as const;

for (const fault of FAULTS) {
  test(`${fault.name} (injected): degraded with ${fault.code} naming the file, events kept and folded once the good file is back`, async ({
    page,
    pageErrors,
  }) => {
    let requests = 0;
    const pattern = `**/models/${ONNX}`;
    const handler = (route: Route) => {
      requests++;
      return serveBad(fault.bad)(route);
    };
    // On the context: the worker's requests are routed there too.
    await page.context().route(pattern, handler);
    await page.goto(`${SCENARIO_URL}/engine/index.html`);
    await page.waitForFunction(() => 'engine' in window);
    const init = await page.evaluate(() => window.engine.init({ modelBaseUrl: '/models/', labels: [] }));
    expect(init.ok).toBe(true);

    await expect.poll(async () => (await status(page))?.model.state, { timeout: 30_000 }).toBe('error');
    const degraded = (await status(page)) as Status;
    expect(degraded.state).toBe('degraded');
    expect(degraded.model.error?.code).toBe(fault.code);
    expect(degraded.model.error?.message).toContain(ONNX);
    expect(degraded.model.retryAt).toBeGreaterThan(Date.now() - 10_000);

    // Events keep arriving while the model is broken: stored, pending, not folded, not lost.
    const events = SPORTS.slice(0, 4).map((t) => view(t, 'Sports > Running'));
    const r = await ingest(page, events);
    expect(r.ok && r.value.accepted).toBe(events.length);
    expect(await status(page)).toMatchObject({ storedEvents: 4, pendingEvents: 4, profileEvents: 0 });
    const failedRequests = requests;

    // The host fixes the file; the engine's own retry loads it (no call from the page).
    await page.context().unroute(pattern, handler);
    await expect
      .poll(async () => (await status(page))?.model.state, { timeout: 45_000, message: 'model ready after retry' })
      .toBe('ready');
    await expect.poll(async () => (await status(page))?.pendingEvents).toBe(0);
    const after = (await status(page)) as Status;
    expect(after).toMatchObject({ state: 'ready', storedEvents: 4, profileEvents: 4 });
    expect(after.model.error).toBeUndefined();
    const stored = (await readIndexedDb(page, 'portrait', 'events')) as Stored[];
    const profile = ((await readIndexedDb(page, 'portrait', 'profiles')) as Profile[])[0];
    expect(profile?.count).toBe(4);
    // Backoff, not a storm: the bad file was asked for once per attempt.
    expect(failedRequests).toBeGreaterThanOrEqual(1);
    expect(failedRequests).toBeLessThanOrEqual(3);
    expect(pageErrors.filter((e) => !e.includes('404'))).toEqual([]);

    await recordFault(test.info(), {
      fault: `${fault.name} (injected)`,
      eventsIn: events.length,
      eventsReflected: profile?.count ?? 0,
      syncsAcked: 0,
      lost: events.length - stored.filter((e) => e.applied === 1).length,
      duplicated: Math.max(0, (profile?.count ?? 0) - stored.length),
      note: `status degraded, ${fault.code}; ${failedRequests} bad download(s), then folded on the engine's retry`,
    });
  });
}
