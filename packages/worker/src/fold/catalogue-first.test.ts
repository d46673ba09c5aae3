// A first visit on a shop that publishes catalogue vectors: product events fold from them with
// no model download; only what the catalogue cannot cover waits for the model (Node, fake model).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WorkerApi } from '../contract.ts';
import { createEngine } from '../engine.ts';
import { deps, device, durableStore, fakeCollector, fakeModel, slug, until, view } from '../engine-test-kit.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const TITLES = ['trail running shoes', 'road racing flats', 'cast iron skillet', 'espresso grinder'];
const CATALOGUE = {
  items: [
    ...TITLES.map((title) => ({ id: slug(title), title })),
    { id: slug('early pregnancy test'), title: 'early pregnancy test', sensitive: true },
  ],
  labels: ['running', 'kitchen'],
};
const base = { logLevel: 'silent', modelId: 'fake-bow', syncMinIntervalMs: 0 } as const;

async function status(engine: WorkerApi) {
  const s = await engine.status();
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

describe('catalogue first', () => {
  it('folds catalogue items and syncs with every model file failing, and never asks for the model', async () => {
    const collector = fakeCollector(undefined, CATALOGUE);
    const model = fakeModel();
    model.failLoads(100);
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, collectorUrl: collector.url });
    await engine.ingest(TITLES.map((t) => view(t)));
    await until(async () => (await status(engine)).profileEvents === TITLES.length);
    await until(() => collector.posts().length === 1);
    const s = await status(engine);
    expect(s).toMatchObject({ state: 'ready', pendingEvents: 0, model: { state: 'idle' } });
    expect(s.timings.catalogueHits).toBe(TITLES.length);
    expect(model.loads).toBe(0);
    // Only the manifest and the one shard were fetched, with no cookies.
    const gets = collector.calls.filter((c) => c.method === 'GET').map((c) => c.path);
    expect(gets.sort()).toEqual(['/v1/basis', '/v1/catalogue-vectors/manifest.json', '/v1/catalogue-vectors/v1/0.bin']);
    expect(collector.calls.every((c) => c.credentials === 'omit')).toBe(true);
    // A shard request names no page either (worker README, "Privacy of shard requests").
    const catalogue = collector.calls.filter((c) => c.path.startsWith('/v1/catalogue-vectors/'));
    expect(catalogue.map((c) => c.referrerPolicy)).toEqual(catalogue.map(() => 'no-referrer'));
  });

  it('impressions fetch their shards, so viewing one of the cards afterwards requests nothing', async () => {
    const collector = fakeCollector(undefined, CATALOGUE);
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...base, collectorUrl: collector.url });
    const shardGets = () => collector.calls.filter((c) => c.path === '/v1/catalogue-vectors/v1/0.bin').length;
    await engine.ingest(TITLES.map((t) => view(t, { type: 'impression' })));
    await until(async () => (await status(engine)).profileEvents === TITLES.length);
    expect(shardGets()).toBe(1);
    await engine.ingest([view(TITLES[0] ?? '')]);
    await until(async () => (await status(engine)).profileEvents === TITLES.length + 1);
    expect(shardGets()).toBe(1);
  });

  it('stores a sensitive catalogue item without folding it, with no model loaded', async () => {
    const collector = fakeCollector(undefined, CATALOGUE);
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, collectorUrl: collector.url });
    await engine.ingest([view('early pregnancy test'), view('cast iron skillet')]);
    await until(async () => (await status(engine)).pendingEvents === 0);
    expect(await status(engine)).toMatchObject({ storedEvents: 2, profileEvents: 1, sensitiveSkipped: 1 });
    expect(model.loads).toBe(0);
  });

  it('answers explain() from the published labels on the first page', async () => {
    const engine = createEngine(deps(fakeModel(), durableStore()));
    await engine.init({ ...base, collectorUrl: fakeCollector(undefined, CATALOGUE).url });
    await engine.ingest([view('trail running shoes'), view('road racing flats')]);
    await until(async () => (await status(engine)).profileEvents === 2);
    const top = await engine.explain(2);
    expect(top.ok && top.value.map((i) => i.label)).toContain('running');
  });

  it('a search waits for the model, which loads in idle time and folds it; the catalogue profile carries on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const collector = fakeCollector(undefined, CATALOGUE);
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, collectorUrl: collector.url });
    await engine.ingest([view('trail running shoes')]);
    await engine.ingest([{ id: 'q1', type: 'search', ts: Date.now(), query: 'waterproof trail shoes' }]);
    expect(await status(engine)).toMatchObject({ profileEvents: 1, pendingEvents: 1 });
    expect(model.loads).toBe(0);
    await vi.advanceTimersByTimeAsync(2_500);
    await vi.waitUntil(async () => (await status(engine)).profileEvents === 2);
    expect(model.loads).toBe(1);
    expect(model.embedded.some((t) => t.includes('waterproof trail shoes'))).toBe(true);
    // Same vector space: no rebuild, the item folded from the catalogue was not embedded again.
    expect(model.embedded.some((t) => t.includes('trail running shoes'))).toBe(false);
  });

  it('explain() still names the published labels once the model has loaded, with no labels configured', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, collectorUrl: fakeCollector(undefined, CATALOGUE).url });
    await engine.ingest([view('trail running shoes'), view('road racing flats')]);
    await engine.ingest([{ id: 'q1', type: 'search', ts: Date.now(), query: 'waterproof trail shoes' }]);
    await vi.advanceTimersByTimeAsync(2_500);
    await vi.waitUntil(async () => (await status(engine)).profileEvents === 3);
    expect(model.loads).toBe(1);
    // The catalogue is kept only when it is the loaded model's space, so its labels still apply.
    const top = await engine.explain(2);
    expect(top.ok && top.value.map((i) => i.label)).toContain('running');
  });

  it('with Save-Data the model is never requested, and product events still fold', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const collector = fakeCollector(undefined, CATALOGUE);
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore(), device({ saveData: true })));
    await engine.init({ ...base, collectorUrl: collector.url });
    await engine.ingest([{ id: 'q1', type: 'search', ts: Date.now(), query: 'espresso' }, view('espresso grinder')]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await status(engine)).toMatchObject({ profileEvents: 1, pendingEvents: 1, model: { state: 'deferred' } });
    expect(model.loads).toBe(0);
  });

  it('forgetItem rebuilds from the catalogue alone when it covers every stored event', async () => {
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, collectorUrl: fakeCollector(undefined, CATALOGUE).url });
    await engine.ingest(TITLES.map((t) => view(t)));
    await until(async () => (await status(engine)).profileEvents === TITLES.length);
    expect(await engine.forgetItem(slug('cast iron skillet'))).toEqual({ ok: true, value: 1 });
    expect(await status(engine)).toMatchObject({ storedEvents: 3, profileEvents: 3 });
    expect(model.loads).toBe(0);
  });

  it("'eager' loads the model at init even when the catalogue would do", async () => {
    const model = fakeModel();
    const engine = createEngine(deps(model, durableStore()));
    await engine.init({ ...base, model: 'eager', collectorUrl: fakeCollector(undefined, CATALOGUE).url });
    await until(async () => (await status(engine)).model.state === 'ready');
    expect(model.loads).toBe(1);
  });
});
