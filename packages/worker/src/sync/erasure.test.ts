import { decodePayload } from '@portrait/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../engine.ts';
import { deps, durableStore, fakeCollector, fakeModel, until, view } from '../engine-test-kit.ts';
import { META } from '../store/meta-keys.ts';
import { pendingErasures } from './erasure.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const quiet = { logLevel: 'silent', sensitiveTopics: false, syncMinIntervalMs: 0 } as const;

describe('erasure that survives', () => {
  it('a refused or failed DELETE stays pending with its token, and a later worker completes it', async () => {
    let deleteAnswer = 429;
    const collector = fakeCollector();
    const stubbed = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: URL | string, init: RequestInit = {}) => {
      if (init.method === 'DELETE' && deleteAnswer !== 204) {
        await stubbed(input, init);
        return new Response('', { status: deleteAnswer, headers: { 'retry-after': '1' } });
      }
      return stubbed(input, init);
    });
    const store = durableStore();
    const engine = createEngine(deps(fakeModel(), store));
    await engine.init({ ...quiet, collectorUrl: collector.url });
    await engine.ingest([view('running shoes')]);
    await until(async () => (await store.getMeta(META.syncToken)) === 'tok-1');
    const id = await store.getMeta(META.pseudoId);

    // Rate limited: the device is wiped, but the erasure is not reported done.
    expect(await engine.forget()).toEqual({ ok: true, value: { collector: 'pending' } });
    expect(await store.allEvents()).toEqual([]);
    expect((await pendingErasures(store)).map((e) => [e.id, e.token])).toEqual([[id, 'tok-1']]);

    // The tab closes; a later page's worker retries at start, without any new event.
    deleteAnswer = 204;
    const later = createEngine(deps(fakeModel(), store));
    await later.init({ ...quiet, collectorUrl: collector.url });
    await until(async () => (await pendingErasures(store)).length === 0);
    const deletes = collector.calls.filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(2);
    expect(deletes.every((d) => d.path === `/v1/profile/${id}` && d.headers.authorization === 'Bearer tok-1')).toBe(
      true,
    );
  });

  it('a device that never got a token says so instead of claiming an erasure', async () => {
    const collector = fakeCollector(() => new Response('', { status: 503 }));
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...quiet, collectorUrl: collector.url });
    await engine.ingest([view('running shoes')]);
    await until(() => collector.posts().length === 1);
    expect(await engine.forget()).toEqual({ ok: true, value: { collector: 'not-synced' } });
    expect(collector.calls.filter((c) => c.method === 'DELETE')).toEqual([]);
  });
});

describe('epochs', () => {
  it('a new epoch is a new id: payloads queued under the old id are dropped, not sent with the new one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const week = 7 * 86_400_000;
    vi.setSystemTime(Math.ceil(Date.now() / week) * week - 60_000);
    let up = true;
    const collector = fakeCollector(() =>
      up ? Response.json({ token: 'tok-1' }, { status: 201 }) : new Response('', { status: 503 }),
    );
    const store = durableStore();
    const engine = createEngine(deps(fakeModel(), store));
    await engine.init({ ...quiet, collectorUrl: collector.url });
    await engine.ingest([view('running shoes')]);
    await vi.waitUntil(() => collector.posts().length === 1);
    const first = await store.getMeta(META.pseudoId);
    // The collector goes down just before the epoch ends: a payload waits under the old id.
    up = false;
    await engine.ingest([view('trail shoes')]);
    await vi.waitUntil(() => collector.posts().length === 2);
    expect((await store.allOutbox()).length).toBe(1);
    vi.setSystemTime(Date.now() + 120_000);
    up = true;
    await engine.ingest([view('wok')]);
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    const ids = collector.posts().map((p) => {
      const d = decodePayload(p.body ?? new Uint8Array());
      return d.ok ? d.payload.pseudoId : '';
    });
    const second = await store.getMeta(META.pseudoId);
    expect(second).not.toBe(first);
    // After the boundary only the new id is heard from, and without the old id's token.
    const afterBoundary = collector.posts().slice(2);
    expect(ids.slice(2).every((i) => i === second)).toBe(true);
    expect(afterBoundary.length).toBeGreaterThan(0);
    expect(afterBoundary.every((p) => p.headers.authorization === undefined)).toBe(true);
  });

  it('refuses a DP budget that cannot hold, at init', async () => {
    const engine = createEngine(deps(fakeModel(), durableStore()));
    const r = await engine.init({ ...quiet, dp: { epsilon: -1 } });
    expect(r).toMatchObject({ ok: false, error: { code: 'worker/bad-config' } });
    // Nothing is captured under a config that was refused, and nothing waits for ever on it.
    expect(await engine.ingest([view('running shoes')])).toMatchObject({
      ok: false,
      error: { code: 'worker/not-initialised' },
    });
  });
});
