// Attacks on the collector's trust model, against a real SQLite file and a real PostgreSQL:
// someone who knows a pseudonymous id trying to lock its owner out, erased profiles brought
// back by replays, and hostile values the codec accepts but the collector must not store.
// afterAll prints one row per case.
import { encodePayload } from '@portrait/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Collector, createCollector } from './collector.ts';
import type { CollectorOptions } from './config.ts';
import {
  type Adapter,
  createSummary,
  hexId,
  httpClient,
  ID,
  listen,
  OTHER,
  payload,
  suiteStorage,
} from './test-support/abuse-harness.ts';

const SECRET = 'trust-secret';
const summary = createSummary('server trust cases');

const storage = suiteStorage('trust', summary);

describe.each(['sqlite', 'postgres'] as const)('collector trust model on %s', (adapter: Adapter) => {
  let collector: Collector;
  let port = 0;
  const { agent, send, post, erase } = httpClient(() => port);
  const record = (name: string, expected: string, statuses: number[]) =>
    summary.record(adapter, name, expected, statuses);

  let location: Awaited<ReturnType<typeof storage.where>> = {};
  // `keep` restarts on the storage of the previous start (a key rotation is a restart).
  async function start(over: Partial<CollectorOptions> = {}, keep = false) {
    if (!keep) location = await storage.where(adapter);
    collector = createCollector({
      ...location,
      allowedOrigins: '*',
      secret: SECRET,
      logLevel: 'silent',
      idPerMinute: 0,
      ipPerMinute: 0,
      ...over,
    });
    port = await listen(collector);
  }
  afterEach(() => collector?.close());
  afterAll(() => agent.destroy());
  const store = async () => (await collector.ready).store;
  const sync = (i: number, over: Parameters<typeof payload>[0] = {}) =>
    encodePayload(payload({ timestamp: 1_780_000_000 + i, idempotencyKey: hexId(i).slice(16), ...over }));

  async function seed(): Promise<string> {
    const r = await post(sync(0));
    expect(r.status).toBe(201);
    return r.json.token as string;
  }

  it("tokenless syncs for a known id never spend its owner's budget: the owner still syncs and erases", async () => {
    await start({ idPerMinute: 30 });
    const token = await seed();
    const statuses: number[] = [];
    for (let i = 1; i <= 50; i++) statuses.push((await post(sync(i))).status);
    const own = await post(sync(51), token);
    const gone = await erase(ID, token);
    record('tokenless flood on a known id (×50), then owner syncs and erases', '401×50, 201, 204', [
      ...statuses,
      own.status,
      gone.status,
    ]);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect([own.status, gone.status]).toEqual([201, 204]);
  });

  it('first syncs spend a budget of their own per client address, not the ids they name', async () => {
    await start({ firstSyncPerMinute: 10 });
    const token = await seed();
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 1; i <= 30; i++) {
      const r = await post(sync(i, { pseudoId: hexId(i) }));
      statuses.push(r.status);
      if (r.status === 429 && r.headers['retry-after'] !== undefined) retryAfter++;
    }
    // A device that holds its token is not a first sync: the spent budget does not touch it.
    const own = await post(sync(31), token);
    record('30 first syncs after a seed, one address (10/min), then a token holder', '201×10, 429×21', [
      ...statuses,
      own.status,
    ]);
    // The seed took one of the ten.
    expect(statuses.filter((s) => s === 201).length).toBe(9);
    expect(statuses.filter((s) => s === 429).length).toBe(21);
    expect(retryAfter).toBe(21);
    expect(own.status).toBe(201);
    expect((await (await store()).counts()).profiles).toBe(10);
  });

  it('an erased id stays erased: replays with or without its token, and new first syncs, get 410', async () => {
    await start();
    const first = sync(0);
    const seeded = await post(first);
    const token = seeded.json.token as string;
    expect((await erase(ID, token)).status).toBe(204);
    const replayNoToken = await post(first);
    const replayToken = await post(first, token);
    const newer = await post(sync(1), token);
    const fresh = await post(sync(2));
    const again = await erase(ID, token);
    const other = await post(sync(3, { pseudoId: OTHER }));
    record('erased id: old payload replayed without token', '410', [replayNoToken.status]);
    record('erased id: old payload replayed with its token', '410', [replayToken.status]);
    record('erased id: newer payload with its token / new first sync', '410, 410', [newer.status, fresh.status]);
    record('erasure retried for an erased id', '204', [again.status]);
    record('another id after the erasure (control)', '201', [other.status]);
    for (const r of [replayNoToken, replayToken, newer, fresh]) {
      expect(r.status).toBe(410);
      expect(r.json.code).toBe('profile/erased');
      expect(r.json.token).toBeUndefined();
    }
    expect(again.status).toBe(204);
    expect(other.status).toBe(201);
    expect(await (await store()).exists(ID)).toBe(false);
    expect(await (await store()).counts()).toEqual({ profiles: 1, receipts: 1 });
  });

  it('an erasure racing 40 in-flight upserts of the same id leaves it erased', async () => {
    await start();
    const token = await seed();
    const inFlight = Array.from({ length: 40 }, (_, i) => post(sync(i + 1), token));
    const gone = erase(ID, token);
    const statuses = (await Promise.all(inFlight)).map((r) => r.status);
    const erased = await gone;
    const after = await post(sync(100), token);
    record(
      'erasure amid 40 concurrent upserts (their statuses), then the erasure and one more',
      '200/201/410 ×40, 204, 410',
      [...statuses, erased.status, after.status],
    );
    expect(erased.status).toBe(204);
    // Each upsert landed before the erasure (201, or 200 stale behind a newer one) or was
    // refused after it (410); none outlives it.
    expect(statuses.every((s) => s === 200 || s === 201 || s === 410)).toBe(true);
    expect(after.status).toBe(410);
    expect(await (await store()).exists(ID)).toBe(false);
    expect((await (await store()).counts()).profiles).toBe(0);
  });

  it('rotates keys: old-key tokens work while the old key is listed, every upsert renews with the new key', async () => {
    await start({ secret: 'key-one' });
    const oldToken = await seed();
    await collector.close();
    await start({ secret: 'key-two,key-one' }, true);
    const withOld = await post(sync(1), oldToken);
    const renewed = withOld.json.token as string;
    await collector.close();
    await start({ secret: 'key-two' }, true);
    const oldDropped = await post(sync(2), oldToken);
    const withRenewed = await post(sync(3), renewed);
    record('token of the old key while listed / after removal', '201, 403', [withOld.status, oldDropped.status]);
    record('renewed token (new key) after the old key is removed', '201', [withRenewed.status]);
    expect([withOld.status, oldDropped.status, withRenewed.status]).toEqual([201, 403, 201]);
    expect(renewed.split('.')[1]).not.toBe(oldToken.split('.')[1]);
  });

  it('an expired token is refused on every route (401), a renewed one keeps working', async () => {
    // Tokens last 2 s here; the device syncs once after 1 s and gets a renewed one.
    await start({ tokenTtlDays: 2 / 86_400 });
    const first = await seed();
    await new Promise((r) => setTimeout(r, 1_000));
    const renew = await post(sync(1), first);
    const renewed = renew.json.token as string;
    await new Promise((r) => setTimeout(r, 1_500));
    const rec = (t: string) => send('GET', `/v1/recommendations?id=${ID}`, undefined, { authorization: `Bearer ${t}` });
    const expired = [await post(sync(2), first), await rec(first), await erase(ID, first)];
    const fresh = await post(sync(3), renewed);
    record(
      'expired token × upsert, recommendations, erase',
      '401×3',
      expired.map((r) => r.status),
    );
    record('renewed token after the first expired', '201', [fresh.status]);
    expect(renew.status).toBe(201);
    for (const r of expired) expect([r.status, r.json.code]).toEqual([401, 'token/expired']);
    expect(fresh.status).toBe(201);
    expect(await (await store()).exists(ID)).toBe(true);
  }, 20_000);
});
