import { createLogger, createProfile, DEFAULT_LAYOUT, type ProfileState, randomProjectionBasis } from '@portrait/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../store/memory-store.ts';
import {
  backoffMs,
  flushOutbox,
  freshSendState,
  nextSendAt,
  queueSync,
  retryAfterAt,
  type SendState,
} from './outbox.ts';

const log = createLogger('test', 'silent');
const URL_ = 'https://collector.test';
const basis = randomProjectionBasis(16, 64);
const profile = (): ProfileState => ({ ...createProfile('m', 16), count: 1 });

/** A fetch that answers each call with the next of `answers` (the last one repeats). */
function collector(...answers: (() => Response)[]) {
  const calls: number[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => {
      calls.push(calls.length);
      return (answers[Math.min(calls.length - 1, answers.length - 1)] as () => Response)();
    }),
  );
  return calls;
}
const ok = () => new Response(JSON.stringify({ token: 't' }), { status: 201 });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    new Response('{}', { status: code, headers });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('backoffMs', () => {
  it('waits at least half of each exponential step, so retries in any window are bounded', () => {
    expect(backoffMs(1, () => 0)).toBe(2_000);
    expect(backoffMs(1, () => 0.999999)).toBeLessThan(4_000);
    expect(backoffMs(3, () => 0)).toBe(8_000);
    expect(backoffMs(3, () => 0.999999)).toBeLessThan(16_000);
    expect(backoffMs(50, () => 0.999999)).toBeLessThanOrEqual(15 * 60_000);
    expect(backoffMs(50, () => 0)).toBe(7.5 * 60_000);
  });
});

describe('retryAfterAt', () => {
  it('reads delta seconds and HTTP dates, and ignores what it cannot read', () => {
    expect(retryAfterAt('5', 1_000)).toBe(6_000);
    expect(retryAfterAt(new Date(60_000).toUTCString(), 1_000)).toBe(60_000);
    // A date already past means "now", never a time before it.
    expect(retryAfterAt(new Date(0).toUTCString(), 1_000)).toBe(1_000);
    expect(retryAfterAt('soon', 1_000)).toBeUndefined();
    expect(retryAfterAt(null, 1_000)).toBeUndefined();
    // A day at most: a misconfigured server must not stop syncing for good.
    expect(retryAfterAt('99999999', 0)).toBe(24 * 3_600_000);
  });
});

describe('flushOutbox', () => {
  const layout = DEFAULT_LAYOUT;

  // Every test here runs in a worker that has flushed once already (see the test of a new worker's first).
  let sent: SendState;
  beforeEach(() => {
    sent = { ...freshSendState(), firstFlush: false };
  });

  it('respects Retry-After on 429, even for a forced flush, then sends the waiting sync once', async () => {
    const store = createMemoryStore<{ modelId: string }>();
    const calls = collector(status(429, { 'retry-after': '5' }), ok);
    const t0 = Date.now();
    await queueSync(store, basis, profile(), t0, { layout });
    const first = await flushOutbox(store, URL_, sent, t0, log);
    expect(first.reports.map((r) => r.status)).toEqual([429]);
    expect(first.retryAt).toBeGreaterThanOrEqual(t0 + 5_000);
    // Back online, or the page asked: still nothing before the collector's time.
    const forced = await flushOutbox(store, URL_, sent, t0 + 4_999, log, true);
    expect(forced.reports).toEqual([]);
    expect(forced.retryAt).toBe(first.retryAt);
    expect(calls.length).toBe(1);
    // A newer profile queued meanwhile replaces the waiting one but keeps its wait.
    const newer = await queueSync(store, basis, profile(), t0 + 4_000, { layout, notBefore: t0 + 4_000 });
    expect(newer.notBefore).toBeGreaterThanOrEqual(t0 + 5_000);
    expect(newer.attempts).toBe(1);
    const after = await flushOutbox(store, URL_, sent, first.retryAt as number, log);
    expect(after.reports.map((r) => r.status)).toEqual([201]);
    expect(calls.length).toBe(2);
    expect(await store.allOutbox()).toEqual([]);
  });

  it('backs off 500s exponentially and keeps one pending sync per model', async () => {
    const store = createMemoryStore<{ modelId: string }>();
    const calls = collector(status(500));
    let now = Date.now();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await queueSync(store, basis, profile(), now, { layout, notBefore: now });
      const r = await flushOutbox(store, URL_, sent, now, log);
      // Nothing due before retryAt: a flush in between sends nothing.
      const early = await flushOutbox(store, URL_, sent, (r.retryAt as number) - 1, log);
      expect(early.reports).toEqual([]);
      waits.push((r.retryAt as number) - now);
      now = r.retryAt as number;
      expect((await store.allOutbox()).length).toBe(1);
    }
    expect(calls.length).toBe(5);
    // At least 2, 4, 8, 16, 32 s: the steps grow even though every fold queued a fresh payload.
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(1_000 * 2 ** (i + 1));
    });
  });

  it('backs off a newer sync queued while the failing one was in flight', async () => {
    const store = createMemoryStore<{ modelId: string }>();
    const t0 = Date.now();
    await queueSync(store, basis, profile(), t0, { layout });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        // The shopper moves on while the collector is slow to fail.
        await queueSync(store, basis, profile(), t0, { layout, notBefore: t0 });
        return new Response('', { status: 503 });
      }),
    );
    const r = await flushOutbox(store, URL_, sent, t0, log);
    const [waiting] = await store.allOutbox();
    expect(waiting?.attempts).toBe(1);
    expect(waiting?.notBefore).toBeGreaterThanOrEqual(t0 + 2_000);
    expect(r.retryAt).toBe(waiting?.notBefore);
  });

  it("a new worker's first flush sends what an earlier visit left backed off, but never before a Retry-After", async () => {
    const store = createMemoryStore<{ modelId: string }>();
    const t0 = Date.now();
    // Left by an earlier visit: backed off for ten minutes.
    await queueSync(store, basis, profile(), t0, { layout });
    const [left] = await store.allOutbox();
    await store.putOutbox({ ...(left as NonNullable<typeof left>), attempts: 6, notBefore: t0 + 600_000 });
    const calls = collector(ok);
    expect((await flushOutbox(store, URL_, freshSendState(), t0, log)).reports.map((r) => r.status)).toEqual([201]);
    expect(calls.length).toBe(1);

    await queueSync(store, basis, profile(), t0, { layout });
    await store.setMeta('syncRetryAt', String(t0 + 60_000));
    expect((await flushOutbox(store, URL_, freshSendState(), t0, log)).reports).toEqual([]);
    expect(calls.length).toBe(1);
  });

  it('a device clock set back a day neither holds syncs for the day nor sends a burst', async () => {
    const DAY = 86_400_000;
    const store = createMemoryStore<{ modelId: string }>();
    const calls = collector(status(500), ok);
    const t0 = Date.now();
    await queueSync(store, basis, profile(), t0, { layout, notBefore: t0 });
    const failed = await flushOutbox(store, URL_, sent, t0, log);
    expect(failed.reports.map((r) => r.status)).toEqual([500]);
    // The collector's wait, set under the old clock too.
    await store.setMeta('syncRetryAt', String(t0 + 60_000));
    const back = t0 - DAY;
    // The next sync counts its minimum interval from now, not from the last send "tomorrow".
    expect(nextSendAt(sent, 10_000, back)).toBe(back + 10_000);
    const r = await flushOutbox(store, URL_, sent, back, log);
    expect(r.reports.map((x) => x.status)).toEqual([201]);
    expect(calls.length).toBe(2);
    // Within a day the waits hold as set: an early flush sends nothing.
    await queueSync(store, basis, profile(), back, { layout, notBefore: nextSendAt(sent, 10_000, back) });
    expect((await flushOutbox(store, URL_, sent, back + 9_999, log)).reports).toEqual([]);
    expect(calls.length).toBe(2);
  });
});

describe('an erased id (410)', () => {
  it('rotates to a new id and drops the payload, as a refused token does', async () => {
    const store = createMemoryStore<{ modelId: string }>();
    collector(status(410));
    await queueSync(store, basis, profile(), Date.now(), { layout: DEFAULT_LAYOUT });
    const before = await store.getMeta('pseudoId');
    const r = await flushOutbox(store, URL_, freshSendState(), Date.now(), log);
    expect(r.rotated).toBe(true);
    expect(await store.getMeta('pseudoId')).not.toBe(before);
    expect(await store.allOutbox()).toEqual([]);
  });
});
