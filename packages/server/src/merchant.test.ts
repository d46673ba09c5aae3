// The merchant view (GET /merchant, GET /v1/merchant) and the aggregate counters devices add
// to (POST /v1/aggregate): the attack first (an audience below k must not be learnable, not
// even by difference), then the admin token, then a scripted run of 100 simulated devices
// whose syncs and holdout counters the view must add up. Real catalogue import (bundled
// model), real SQLite and PostgreSQL.
import { encodePayload, seededRandom } from '@portrait/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from './catalogue.ts';
import { type Collector, createCollector } from './collector.ts';
import type { CollectorOptions } from './config.ts';
import { audienceLabels, createMerchantStats } from './merchant.ts';
import {
  type Adapter,
  hexId,
  httpClient,
  listen,
  payload,
  suiteStorage,
  testCollectorOptions,
} from './test-support/abuse-harness.ts';
import { demoCatalogue } from './test-support/demo-catalogue.ts';

const ADMIN = 'merchant-admin-token';
const storage = suiteStorage('merchant');
let catalogue: Awaited<ReturnType<typeof demoCatalogue>>;
let labels: Map<string, Float32Array>;
beforeAll(async () => {
  catalogue = await demoCatalogue();
  const cat = await loadCatalogue(catalogue.dir);
  labels = new Map((await audienceLabels(cat)).map((l) => [l.name, l.vector]));
}, 120_000);
afterAll(() => catalogue?.remove());

describe('sync health counts', () => {
  it('"syncs in the last minute" is a sliding 60 s window, not the calendar minute', () => {
    let t = Date.UTC(2026, 11, 7, 10, 0, 45);
    const stats = createMerchantStats(() => t);
    for (let i = 0; i < 100; i++) stats.sync(201);
    stats.sync(500);
    expect(stats.snapshot().lastMinute).toBe(100);
    // Two seconds after the minute turned, 58 of the previous minute's 60 s are still in the window
    // (its syncs counted as spread evenly over it).
    t = Date.UTC(2026, 11, 7, 10, 1, 2);
    expect(stats.snapshot().lastMinute).toBe(Math.round(100 * (58 / 60)));
    expect(stats.snapshot().series.at(-1)?.ok).toBe(0);
    stats.sync(201);
    expect(stats.snapshot().lastMinute).toBe(Math.round(1 + 100 * (58 / 60)));
    // At 10:02:50 the window starts at 10:01:50: the 100 are out, the one of 10:01:02 too
    // (a sixth of 1 rounds to 0).
    t = Date.UTC(2026, 11, 7, 10, 2, 50);
    expect(stats.snapshot().lastMinute).toBe(0);
    expect(stats.snapshot().series.reduce((a, m) => a + m.ok + m.errors, 0)).toBe(102);
  });
});

describe.each(['sqlite', 'postgres'] as const)('merchant view on %s', (adapter: Adapter) => {
  let collector: Collector;
  let port = 0;
  const { agent, send, post, erase } = httpClient(() => port);
  afterEach(() => collector?.close());
  afterAll(() => agent.destroy());

  async function start(over: Partial<CollectorOptions> = {}) {
    collector = createCollector(
      testCollectorOptions(
        await storage.where(adapter),
        { secret: 'merchant-secret', adminToken: ADMIN },
        { catalogueDir: catalogue.dir, ...over },
      ),
    );
    port = await listen(collector);
  }
  const view = async (token = ADMIN, query = '') =>
    send('GET', `/v1/merchant${query}`, undefined, { authorization: `Bearer ${token}` });
  const rand = seededRandom(7);
  // A device whose long-term profile sits near one department's label, with its own noise.
  const device = (n: number, department: string) => {
    const label = labels.get(department);
    if (!label) throw new Error(`no label ${department}`);
    const long = Float32Array.from(label.subarray(0, 64), (x) => x + (rand() - 0.5) * 0.02);
    return encodePayload(
      payload({
        pseudoId: hexId(n + 1),
        basisVersion: catalogue.manifest.basisVersion,
        timestamp: Math.floor(Date.now() / 1000) - 60,
        idempotencyKey: hexId(n + 1).slice(16),
        vectors: [long, long.slice(0, 8), long.slice(0, 8)],
      }),
    );
  };
  const syncAll = async (from: number, n: number, department: string) => {
    const tokens: string[] = [];
    for (let i = from; i < from + n; i++) {
      const r = await post(device(i, department));
      expect(r.status).toBe(201);
      tokens.push(r.json.token as string);
    }
    return tokens;
  };

  it('attack: a department or segment held by fewer than k devices cannot be learned, not by name, size, total or difference', async () => {
    await start({ audienceMinDevices: 50 });
    await syncAll(0, 61, 'Sports > Running');
    // The target: three shoppers in a small department, one device in a segments-only payload.
    await syncAll(100, 3, 'Home > Coffee');
    const seg = encodePayload(
      payload({
        pseudoId: hexId(500),
        idempotencyKey: hexId(500).slice(16),
        basisVersion: catalogue.manifest.basisVersion,
        timestamp: Math.floor(Date.now() / 1000) - 60,
        flags: 2,
        segments: [7],
        vectors: [],
      }),
    );
    expect((await post(seg)).status).toBe(201);
    const before = await view();
    expect(before.status).toBe(200);
    expect(before.json.audiences).toEqual([{ name: 'Sports > Running', devices: 60 }]);
    expect(before.text).not.toMatch(/Coffee|segment 7/);
    // Asking for a smaller k from the page changes nothing: k is the operator's setting.
    const lowK = await view(ADMIN, '?k=1&audienceMinDevices=1');
    expect(lowK.json.audiences).toEqual(before.json.audiences);
    // Differencing: one more runner (61 -> 62) leaves the published size where it was.
    await syncAll(200, 1, 'Sports > Running');
    expect((await view()).json.audiences).toEqual(before.json.audiences);
    // The same small department passes once it holds k devices.
    await syncAll(300, 47, 'Home > Coffee');
    const after = (await view()).json.audiences as { name: string; devices: number }[];
    expect(after.map((a) => a.name)).toContain('Home > Coffee');
    expect(after.find((a) => a.name === 'Home > Coffee')?.devices).toBe(50);
  }, 120_000);

  it('answers the view only with the admin token (not in the query string); the page itself holds no data', async () => {
    await start();
    expect((await send('GET', '/v1/merchant')).status).toBe(401);
    expect((await view('wrong')).status).toBe(401);
    expect((await send('GET', `/v1/merchant?token=${ADMIN}`)).status).toBe(401);
    expect((await view()).status).toBe(200);
    const page = await send('GET', '/merchant');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toMatch(/text\/html/);
    expect(String(page.headers['content-security-policy'])).toMatch(/default-src 'none'/);
    expect(page.text).not.toContain(ADMIN);
    expect(page.text).toMatch(/authorization/);
    // Without an admin token outside dev mode, nobody gets the view.
    await collector.close();
    await start({ adminToken: undefined });
    expect((await send('GET', '/v1/merchant')).status).toBe(401);
  });

  it('refuses aggregate reports that are not a few known small counters', async () => {
    await start();
    const agg = (body: string) => send('POST', '/v1/aggregate', new TextEncoder().encode(body), {});
    expect((await agg('{"pages1":1}')).status).toBe(204);
    expect((await agg('{"pseudoId":"aa"}')).status).toBe(400);
    expect((await agg('{"onImpressions":1000}')).status).toBe(400);
    expect((await agg('{"onImpressions":-1}')).status).toBe(400);
    expect((await agg('{"onClicks":3,"onImpressions":1}')).status).toBe(400);
    expect((await agg('not json')).status).toBe(400);
    expect((await agg(`{"pages1":1,"pad":"${'x'.repeat(600)}"}`)).status).toBe(413);
    // Only the one accepted report reached the database.
    expect(await (await collector.ready).store.aggregates()).toEqual({ pages1: 1 });
  });

  it('a scripted run of 100 simulated devices: audiences, sync health, milestones, bytes and the holdout add up', async () => {
    await start({ audienceMinDevices: 50 });
    const departments = ['Sports > Running', 'Home > Kitchen'];
    const tokens: string[] = [];
    let bytes = 0;
    for (let i = 0; i < 100; i++) {
      const body = device(i, departments[i % 2] as string);
      bytes += body.length;
      const r = await post(body);
      expect(r.status).toBe(201);
      tokens.push(r.json.token as string);
    }
    // One device erases itself: a tombstone until the sweep.
    expect((await erase(hexId(1), tokens[0])).status).toBe(204);
    // A rate-limited answer and a refused sync count in sync health too.
    expect((await post(new Uint8Array(10))).status).toBe(400);

    // Each device picks its arm itself and reports only sums; profile-ranked lists get more clicks here.
    const rng = seededRandom(42);
    const want = { onImpressions: 0, onClicks: 0, offImpressions: 0, offClicks: 0, pages3: 0, pages3Profile: 0 };
    for (let i = 0; i < 100; i++) {
      const on = rng() < 0.5;
      const impressions = 8 + Math.floor(rng() * 16);
      let clicks = 0;
      for (let k = 0; k < impressions; k++) if (rng() < (on ? 0.15 : 0.05)) clicks++;
      const hasProfile = rng() < 0.8;
      const report = on
        ? { onImpressions: impressions, onClicks: clicks }
        : { offImpressions: impressions, offClicks: clicks };
      for (const [k, v] of Object.entries(report)) want[k as keyof typeof want] += v;
      want.pages3++;
      if (hasProfile) want.pages3Profile++;
      const r = await send(
        'POST',
        '/v1/aggregate',
        new TextEncoder().encode(
          JSON.stringify({ ...report, pages1: 1, pages3: 1, pages3Profile: hasProfile ? 1 : 0 }),
        ),
        { 'content-type': 'text/plain', origin: 'http://shop.test' },
      );
      expect(r.status).toBe(204);
    }
    const m = (await view()).json as {
      profiles: number;
      audiences: { name: string; devices: number }[];
      sync: { perMinute: number; errors: number; pendingErasures: number; erasures: number; series: { ok: number }[] };
      milestones: { pages: number; devices: number; withProfile: number; share: number }[];
      bytes: { perVisitor: number; perSync: number };
      holdout: {
        on: { impressions: number; clicks: number; ctr: number };
        off: { impressions: number; clicks: number; ctr: number };
        lift: number;
        z: number;
      };
    };
    expect(m.profiles).toBe(99);
    // 50 runners minus the erased one is 49: under k, so only the kitchen audience shows.
    expect(m.audiences).toEqual([{ name: 'Home > Kitchen', devices: 50 }]);
    // The run may straddle a minute: the half-hour series holds all 100 accepted syncs, and the
    // last 60 s most of them (the window also counts a turned minute's).
    expect(m.sync.series.reduce((a, s) => a + s.ok, 0)).toBe(100);
    expect(m.sync.perMinute).toBeGreaterThan(0);
    expect(m.sync.errors).toBe(1);
    expect(m.sync.pendingErasures).toBe(1);
    expect(m.sync.erasures).toBe(1);
    expect(m.bytes.perSync).toBeCloseTo(bytes / 100, 6);
    expect(m.bytes.perVisitor).toBeCloseTo(bytes / 99, 6);
    expect(m.milestones[1]).toEqual({
      pages: 3,
      devices: want.pages3,
      withProfile: want.pages3Profile,
      share: want.pages3Profile / want.pages3,
    });
    expect(m.milestones[2]).toEqual({ pages: 5, devices: 0, withProfile: 0, share: 0 });
    expect(m.holdout.on).toEqual({
      impressions: want.onImpressions,
      clicks: want.onClicks,
      ctr: want.onClicks / want.onImpressions,
    });
    expect(m.holdout.off.clicks).toBe(want.offClicks);
    expect(m.holdout.on.ctr).toBeGreaterThan(m.holdout.off.ctr);
    expect(m.holdout.lift).toBeCloseTo(m.holdout.on.ctr / m.holdout.off.ctr - 1, 9);
    expect(m.holdout.z).toBeGreaterThan(1.96);
    // No device id, token or per-device row anywhere in the view.
    const text = JSON.stringify(m);
    for (const t of [hexId(2), hexId(50), tokens[5] as string]) expect(text).not.toContain(t);
  }, 180_000);
});
