// The engine's paths in Node, in milliseconds: memory store and a fake model (see engine-test-kit).
import { decodePayload } from '@portrait/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerApi } from './contract.ts';
import { createEngine } from './engine.ts';
import { deps, device, durableStore, fakeCollector, fakeModel, until, view } from './engine-test-kit.ts';
import { META, META_PER_MODEL } from './store/meta-keys.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const LABELS = ['running shoes trainers', 'kitchen cookware pans'];
const quiet = { logLevel: 'silent', sensitiveTopics: false, labels: LABELS } as const;

async function status(engine: WorkerApi) {
  const s = await engine.status();
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}
const ready = (engine: WorkerApi) => until(async () => (await status(engine)).model.state === 'ready');

describe('engine: ingest → fold → status', () => {
  it('stores events at once, folds them with the model, and explains the profile', async () => {
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    expect((await engine.init(quiet)).ok).toBe(true);
    const r = await engine.ingest([view('trail running shoes'), view('running trainers')]);
    expect(r).toMatchObject({ ok: true, value: { accepted: 2, duplicates: 0, rejected: [] } });
    await ready(engine);
    await until(async () => (await status(engine)).profileEvents === 2);
    const s = await status(engine);
    expect(s).toMatchObject({ state: 'ready', persistence: { kind: 'indexeddb' }, pendingEvents: 0, storedEvents: 2 });
    expect(s.model).toMatchObject({ state: 'ready', backend: 'wasm', threads: 1 });
    const top = await engine.explain(1);
    expect(top.ok && top.value[0]?.label).toBe('running shoes trainers');
  });

  it('keeps events pending while the model loads, then folds each once', async () => {
    const model = fakeModel();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const engine = createEngine({
      ...deps(model, durableStore()),
      loadModel: (...a) => gate.then(() => model.load(...a)),
    });
    await engine.init(quiet);
    const e = view('cast iron pan');
    await engine.ingest([e]);
    // The same event again (a page resending what it was not sure arrived): stored once.
    expect(await engine.ingest([e])).toMatchObject({ ok: true, value: { accepted: 0, duplicates: 1 } });
    expect(await status(engine)).toMatchObject({ state: 'starting', pendingEvents: 1, profileEvents: 0 });
    release();
    await until(async () => (await status(engine)).profileEvents === 1);
    expect(model.embedded.filter((t) => t.includes('cast iron pan'))).toHaveLength(1);
  });

  it('rejects bad input with reasons and never throws or changes the profile', async () => {
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init(quiet);
    await ready(engine);
    const notArray = await engine.ingest({ type: 'view' });
    expect(notArray).toMatchObject({ ok: true, value: { accepted: 0, rejected: [{ reason: expect.any(String) }] } });
    const mixed = await engine.ingest([
      { id: 'x', type: 'teleport', ts: Date.now() },
      view('x'.repeat(20_000)),
      { type: 'view', ts: Date.now(), product: { id: 'no-event-id', title: 'lamp' } },
    ]);
    expect(mixed.ok && mixed.value.rejected).toHaveLength(3);
    expect(await status(engine)).toMatchObject({ storedEvents: 0, profileEvents: 0 });
    expect(await engine.forgetItem(42)).toMatchObject({ ok: false, error: { code: 'worker/bad-argument' } });
    expect(await engine.forgetSince('yesterday')).toMatchObject({ ok: false, error: { code: 'worker/bad-argument' } });
  });

  it('answers calls made before init as typed errors', async () => {
    const engine = createEngine(deps(fakeModel(), durableStore()));
    expect(await engine.exportData()).toMatchObject({ ok: false, error: { code: 'worker/not-initialised' } });
    expect(await engine.ping()).toEqual({ ok: true, value: true });
  });

  it('stores but never folds an event close to a sensitive topic, and counts it', async () => {
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...quiet, sensitiveTopics: ['pregnancy test kit'] });
    await ready(engine);
    await engine.ingest([view('early pregnancy test kit'), view('running shoes')]);
    await until(async () => (await status(engine)).pendingEvents === 0);
    expect(await status(engine)).toMatchObject({ storedEvents: 2, profileEvents: 1, sensitiveSkipped: 1 });
  });
});

describe('engine: model lifecycle', () => {
  it('a failed download is a typed degraded state; events stay pending and fold after the retry', async () => {
    const model = fakeModel();
    model.failLoads(1);
    const engine = createEngine(deps(model, durableStore()));
    await engine.init(quiet);
    await engine.ingest([view('espresso machine')]);
    await until(async () => (await status(engine)).model.state === 'error');
    const s = await status(engine);
    expect(s).toMatchObject({ state: 'degraded', pendingEvents: 1, model: { error: { code: 'model/not-found' } } });
    expect(s.model.retryAt).toBeGreaterThan(Date.now());
    // The page retries at once (loadModel) instead of waiting out the backoff.
    await engine.loadModel();
    await until(async () => (await status(engine)).profileEvents === 1);
    expect(model.loads).toBe(2);
  });

  it("the loader's download progress reaches status and subscribers as it reported it", async () => {
    const model = fakeModel();
    const files = [
      { file: 'fake-bow/onnx/model_quantized.onnx', loaded: 0, total: 7_000, fromCache: false },
      { file: 'ort.wasm', loaded: 0, total: 3_000, fromCache: false },
    ];
    model.progress = [
      { loaded: 0, total: 10_000, files },
      { loaded: 7_000, total: 10_000, files },
      { loaded: 10_000, total: 10_000, files },
    ];
    const engine = createEngine(deps(model, durableStore()));
    const seen: unknown[] = [];
    await engine.subscribe((e) => seen.push(e));
    await engine.init({ ...quiet, model: 'eager' });
    await ready(engine);
    expect(seen.filter((e) => (e as { type: string }).type === 'progress')).toEqual(
      model.progress.map((progress) => ({ type: 'progress', progress })),
    );
    expect((await status(engine)).model.progress).toEqual({ loaded: 10_000, total: 10_000, files });
  });

  it('Save-Data defers the download until the page asks for it', async () => {
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore(), device({ saveData: true })));
    await engine.init(quiet);
    await engine.ingest([view('espresso machine')]);
    expect(await status(engine)).toMatchObject({ state: 'degraded', model: { state: 'deferred' }, pendingEvents: 1 });
    expect(model.loads).toBe(0);
    await engine.loadModel();
    await until(async () => (await status(engine)).profileEvents === 1);
  });

  it('a lost WebGPU device keeps events pending, and the next worker on the device runs WASM', async () => {
    const store = durableStore();
    const gpu = device({ webgpu: { fallback: false, vendor: 'test' } });
    const model = fakeModel();
    const first = createEngine(deps(model, store, gpu));
    await first.init(quiet);
    await ready(first);
    expect((await status(first)).model.backend).toBe('webgpu');
    model.loseDevice();
    await first.ingest([view('chef knife')]);
    await until(async () => (await status(first)).model.state === 'error');
    expect(await status(first)).toMatchObject({ pendingEvents: 1, model: { error: { code: 'model/backend-failed' } } });
    expect(JSON.parse((await store.getMeta(META.webgpuFailed)) ?? '{}')).toMatchObject({ reason: expect.any(String) });

    const next = createEngine(deps(fakeModel(), store, gpu));
    await next.init(quiet);
    await until(async () => (await status(next)).profileEvents === 1);
    expect((await status(next)).model).toMatchObject({
      backend: 'wasm',
      reason: expect.stringMatching(/WebGPU failed/),
    });
  });

  it('a new model rebuilds the profile from the stored events and drops the old one', async () => {
    const store = durableStore();
    const old = createEngine(deps(fakeModel('model-a'), store));
    await old.init(quiet);
    await old.ingest([view('yoga mat'), view('running shoes')]);
    await until(async () => (await status(old)).profileEvents === 2);

    const next = createEngine(deps(fakeModel('model-b'), store));
    await next.init({ ...quiet, modelId: 'model-b' });
    await until(async () => (await store.getMeta(META.activeModel)) === 'model-b');
    expect((await store.allProfiles()).map((p) => [p.modelId, p.count])).toEqual([['model-b', 2]]);
  });
});

describe('engine: forget', () => {
  it('forgetItem rebuilds without the item; without a model it drops the profile and rebuilds on load', async () => {
    const store = durableStore();
    const engine = createEngine(deps(fakeModel(), store));
    await engine.init(quiet);
    const shoe = view('running shoes');
    await engine.ingest([shoe, view('cast iron pan'), view('wok')]);
    await until(async () => (await status(engine)).profileEvents === 3);
    expect(await engine.forgetItem(shoe.product?.id)).toEqual({ ok: true, value: 1 });
    expect(await status(engine)).toMatchObject({ storedEvents: 2, profileEvents: 2 });

    // A later page, whose model cannot load yet: the forget must not wait for it.
    const model = fakeModel();
    model.failLoads(1);
    const offline = createEngine(deps(model, store));
    await offline.init(quiet);
    await until(async () => (await status(offline)).model.state === 'error');
    expect(await offline.forgetSince(0)).toEqual({ ok: true, value: 2 });
    expect(await store.allProfiles()).toEqual([]);
    expect(await store.getMeta(META.needsRebuild)).toBe('1');
    await offline.loadModel();
    await until(async () => (await store.getMeta(META.needsRebuild)) === '0');
    expect((await store.allProfiles())[0]?.count).toBe(0);
  });

  it('forget wipes the device, erases at the collector with the token, and starts a new id', async () => {
    const collector = fakeCollector();
    const store = durableStore();
    const engine = createEngine(deps(fakeModel(), store));
    await engine.init({ ...quiet, collectorUrl: collector.url, syncMinIntervalMs: 0 });
    await engine.ingest([view('running shoes')]);
    await until(() => collector.posts().length === 1);
    await until(async () => (await store.getMeta(META.syncToken)) === 'tok-1');
    const id = await engine.pseudonymousId();
    const gone = await engine.forget();
    expect(gone).toEqual({ ok: true, value: { collector: 'erased' } });
    const erase = collector.calls.find((c) => c.method === 'DELETE');
    expect(erase).toMatchObject({ path: `/v1/profile/${id.ok && id.value}`, credentials: 'omit' });
    expect(erase?.headers.authorization).toBe('Bearer tok-1');
    expect(await status(engine)).toMatchObject({ storedEvents: 0, profileEvents: 0 });
    const fresh = await engine.pseudonymousId();
    expect(fresh.ok && fresh.value).not.toBe(id.ok && id.value);
  });
});

describe('engine: sync', () => {
  it('sends only the compact payload, without cookies, and keeps the token it is given', async () => {
    const collector = fakeCollector();
    const store = durableStore();
    const engine = createEngine(deps(fakeModel(), store));
    await engine.init({ ...quiet, collectorUrl: collector.url });
    await engine.ingest([view('running shoes'), view('trail shoes')]);
    await until(() => collector.posts().length === 1);
    const [post] = collector.posts();
    expect(post).toMatchObject({ path: '/v1/profile', credentials: 'omit' });
    expect(post?.headers['content-type']).toBe('application/octet-stream');
    // The body is the codec's payload and nothing else: no title, no event, no URL.
    const decoded = decodePayload(post?.body ?? new Uint8Array());
    expect(decoded.ok).toBe(true);
    expect(post?.body?.length).toBe(127);
    expect(new TextDecoder().decode(post?.body)).not.toMatch(/shoes/);
    await until(async () => (await status(engine)).lastSync?.status === 201);
    expect(await store.getMeta(META.syncToken)).toBe('tok-1');
    // Every fold observes the session for the risk byte.
    expect(await store.getMeta(META_PER_MODEL.risk('fake-bow'))).toBeDefined();
  });

  it('attack: a second init (a script holding the worker port) cannot redirect sync to its own collector', async () => {
    const collector = fakeCollector();
    const engine = createEngine(deps(fakeModel(), durableStore()));
    expect((await engine.init({ ...quiet, collectorUrl: collector.url })).ok).toBe(true);
    const again = await engine.init({ ...quiet, collectorUrl: 'https://thief.example', syncMinIntervalMs: 0 });
    expect(again).toMatchObject({ ok: false, error: { code: 'worker/already-initialised' } });
    await engine.ingest([view('running shoes'), view('trail shoes')]);
    await until(() => collector.posts().length === 1);
    expect(collector.calls.filter((c) => c.origin !== collector.url)).toEqual([]);
    // The engine keeps working on its first configuration.
    expect((await status(engine)).lastSync?.status).toBe(201);
  });

  it('backs off a failing collector on its own timer and delivers once it recovers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let failing = true;
    const collector = fakeCollector(() =>
      failing ? new Response('', { status: 503 }) : Response.json({ token: 'tok-2' }, { status: 201 }),
    );
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...quiet, collectorUrl: collector.url });
    await engine.ingest([view('running shoes')]);
    await vi.waitUntil(() => collector.posts().length === 1);
    const s = await status(engine);
    expect(s.lastSync?.status).toBe(503);
    // Nothing is retried before the backoff (at least 1 s for the first failure) runs out.
    await vi.advanceTimersByTimeAsync(900);
    expect(collector.posts()).toHaveLength(1);
    failing = false;
    await vi.advanceTimersByTimeAsync(60_000);
    await vi.waitUntil(() => collector.posts().length === 2);
    expect((await status(engine)).lastSync?.status).toBe(201);
    // Delivered: nothing is left to retry, so no further request goes out.
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(collector.posts()).toHaveLength(2);
  });

  it('coalesces syncs closer than the minimum interval into one send', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const collector = fakeCollector();
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...quiet, collectorUrl: collector.url, syncMinIntervalMs: 10_000, syncMinDistance: 0 });
    await engine.ingest([view('running shoes')]);
    await vi.waitUntil(() => collector.posts().length === 1);
    for (const t of ['cast iron pan', 'wok', 'chef knife']) {
      await engine.ingest([view(t)]);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(collector.posts()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    await vi.waitUntil(() => collector.posts().length === 2);
    // The one send carries the latest profile (all four events), not one payload per fold.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collector.posts()).toHaveLength(2);
  });
});
