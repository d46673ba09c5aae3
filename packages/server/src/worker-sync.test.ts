// The worker's sync path against the real collector on loopback: both sides of the wire in one
// test, with the worker's in-memory store (IndexedDB itself is covered by the Chromium e2e).
import type { AddressInfo } from 'node:net';
import {
  createLogger,
  createProfile,
  decodePayload,
  PAYLOAD_FLAGS,
  type PortraitEvent,
  type ProfileState,
  randomProjectionBasis,
  seededRandom,
  updateProfile,
} from '@portrait/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../worker/src/store/memory-store.ts';
import { pendingErasures, savePendingErasures, sendErasures } from '../../worker/src/sync/erasure.ts';
import { flushOutbox, freshSendState, queueSync } from '../../worker/src/sync/outbox.ts';
import { type Collector, createCollector } from './collector.ts';

const log = createLogger('test', 'silent');
// One worker's send state across this file, as one page's worker keeps it.
const sendState = freshSendState();
const unitForTests = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const layout = { longDim: 64, shortDim: 8, centroids: 1, centroidDim: 8 };

function profile(n: number, seed = 1): ProfileState {
  const rand = seededRandom(seed);
  let p: ProfileState = createProfile('use-lite', 512);
  for (let i = 0; i < n; i++) {
    const v = unitForTests(Float32Array.from({ length: 512 }, () => rand() - 0.5));
    const e: PortraitEvent = {
      id: `e${seed}-${i}`,
      type: 'view',
      ts: 1_780_000_000_000 + i * 1000,
      product: { id: `p${i}` },
    };
    p = updateProfile(p, v, e) ?? p;
  }
  return p;
}

describe('worker sync against the collector', () => {
  let collector: Collector;
  let url = '';
  async function start(port = 0) {
    collector = createCollector({ dbPath: ':memory:', allowedOrigins: '*', secret: 's', logLevel: 'silent' });
    await collector.ready;
    await new Promise<void>((r) => collector.server.listen(port, '127.0.0.1', r));
    url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  }
  afterEach(() => collector?.close());

  it('delivers the latest profile once, keeps one pending entry, backs off offline, proves ownership', async () => {
    await start();
    const port = Number(new URL(url).port);
    const store = createMemoryStore<ProfileState>();
    const basis = randomProjectionBasis(512, 64);
    const p = profile(12);
    const first = await queueSync(store, basis, p, Date.now(), { layout, risk: 42 });
    expect(first.body.length).toBe(127);
    const decoded = decodePayload(first.body);
    expect(decoded.ok && decoded.payload.risk).toBe(42);
    expect((await flushOutbox(store, url, sendState, Date.now(), log)).reports.map((r) => r.status)).toEqual([201]);
    expect(await store.getMeta('syncToken')).toMatch(/^v1\.[0-9a-f]{8}\.[0-9a-z]+\.[\w-]{43}$/);
    expect(await store.allOutbox()).toEqual([]);

    // Offline: the collector is down. Two syncs queue; only the newer stays, backed off.
    await collector.close();
    await queueSync(store, basis, profile(14), Date.now(), { layout });
    const newest = await queueSync(store, basis, profile(16), Date.now(), { layout });
    expect((await store.allOutbox()).map((e) => e.idempotencyKey)).toEqual([newest.idempotencyKey]);
    const offline = await flushOutbox(store, url, sendState, Date.now(), log);
    expect(offline.reports[0]?.status).toBe('network-error');
    expect(offline.retryAt).toBeGreaterThanOrEqual(Date.now() - 10);
    expect((await store.allOutbox())[0]?.attempts).toBe(1);

    // Back online (same port, same database file would be the real case; here a fresh one
    // with the same secret, so the token still proves ownership). The backed-off entry goes out.
    await start(port);
    const after = await flushOutbox(store, url, sendState, Date.now(), log, true);
    expect(after.reports.map((r) => r.status)).toEqual([201]);
    expect(await store.allOutbox()).toEqual([]);
    const { store: server } = await collector.ready;
    expect(await server.counts()).toEqual({ profiles: 1, receipts: 1 });

    // Erasure needs the token the device holds: without it the collector refuses, and that
    // erasure is dropped (it can never succeed); with it the row goes and the erasure is confirmed.
    const id = (await store.getMeta('pseudoId')) as string;
    await savePendingErasures(store, [{ id, token: 'z'.repeat(43), attempts: 0, notBefore: 0 }]);
    expect(await sendErasures(store, url, Date.now(), log)).toEqual({ left: 0 });
    expect(await server.get(id)).toBeDefined();
    const token = (await store.getMeta('syncToken')) as string;
    await savePendingErasures(store, [{ id, token, attempts: 0, notBefore: 0 }]);
    expect(await sendErasures(store, url, Date.now(), log)).toEqual({ left: 0 });
    expect(await pendingErasures(store)).toEqual([]);
    expect(await server.get(id)).toBeUndefined();
  });

  it('marks and noises the vectors when local DP is on (clip, then calibrated Gaussian noise)', async () => {
    await start();
    const store = createMemoryStore<ProfileState>();
    const basis = randomProjectionBasis(512, 64);
    const p = profile(12);
    const plain = decodePayload((await queueSync(store, basis, p, Date.now(), { layout })).body);
    const noised = decodePayload(
      (await queueSync(store, basis, p, Date.now(), { layout, dp: { epsilon: 1, delta: 1e-6, clip: 0.5 } })).body,
    );
    expect(plain.ok && plain.payload.flags).toBe(0);
    expect(noised.ok && noised.payload.flags).toBe(PAYLOAD_FLAGS.noised);
    const long = (r: typeof plain) => (r.ok ? (r.payload.vectors[0] as Float32Array) : new Float32Array());
    // sigma = 2 * 0.5 * sqrt(3) * sqrt(2 ln 1.25e6) / 1 ~ 9.2 per component: the noise dominates.
    const sd = Math.sqrt(long(noised).reduce((s, x) => s + x * x, 0) / 64);
    expect(sd).toBeGreaterThan(5);
    expect(Math.sqrt(long(plain).reduce((s, x) => s + x * x, 0) / 64)).toBeLessThan(1);
    expect((await flushOutbox(store, url, sendState, Date.now(), log)).reports[0]?.status).toBe(201);
  });

  it('sends segment ids and no vector in segments-only mode', async () => {
    await start();
    const store = createMemoryStore<ProfileState>();
    const entry = await queueSync(store, randomProjectionBasis(512, 64), profile(12), Date.now(), {
      layout,
      segments: [0, 2],
    });
    expect(entry.body.length).toBe(42);
    const d = decodePayload(entry.body);
    expect(d.ok && { v: d.payload.vectors.length, s: d.payload.segments }).toEqual({ v: 0, s: [0, 2] });
    expect((await flushOutbox(store, url, sendState, Date.now(), log)).reports[0]?.status).toBe(201);
  });

  it('rotates the pseudonymous id when the collector refuses it', async () => {
    await start();
    const store = createMemoryStore<ProfileState>();
    const basis = randomProjectionBasis(512, 64);
    await queueSync(store, basis, profile(12), Date.now(), { layout });
    await flushOutbox(store, url, sendState, Date.now(), log);
    const before = await store.getMeta('pseudoId');
    await store.setMeta('syncToken', 'z'.repeat(43));
    await queueSync(store, basis, profile(13), Date.now(), { layout });
    const r = await flushOutbox(store, url, sendState, Date.now(), log);
    expect(r.reports[0]?.status).toBe(403);
    expect(r.rotated).toBe(true);
    expect(await store.getMeta('pseudoId')).not.toBe(before);
    expect(await store.allOutbox()).toEqual([]);
  });
});
