// The recommenders through the engine (Node, fake model, stubbed collector serving a format-3
// shard): what the page gets from forYou / related / boughtTogether.
import type { ShardSignals } from '@portrait/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine } from '../engine.ts';
import {
  deps,
  durableStore,
  type FakeCatalogue,
  fakeCollector,
  fakeModel,
  slug,
  until,
  view,
} from '../engine-test-kit.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const none: ShardSignals = { popularity: 0.1, recentPopularity: 0, next: [], together: [] };
const TITLES = ['trail running shoes', 'running socks', 'cast iron skillet', 'espresso grinder', 'road racing flats'];
const CATALOGUE = {
  items: [
    {
      id: slug('trail running shoes'),
      title: 'trail running shoes',
      signals: {
        ...none,
        next: [{ id: slug('road racing flats'), weight: 0.3 }],
        together: [
          { id: slug('running socks'), weight: 0.5 },
          { id: slug('early pregnancy test'), weight: 0.4 },
        ],
      },
    },
    ...TITLES.slice(1).map((title) => ({ id: slug(title), title, signals: none })),
    { id: slug('early pregnancy test'), title: 'early pregnancy test', sensitive: true, signals: none },
  ],
  popular: [slug('espresso grinder')],
};
const base = { logLevel: 'silent', modelId: 'fake-bow', syncMinIntervalMs: 0 } as const;

async function engineWithCatalogue(catalogue: FakeCatalogue | 'none' = CATALOGUE) {
  const engine = createEngine(deps(fakeModel(), durableStore()));
  await engine.init({
    ...base,
    collectorUrl: fakeCollector(undefined, catalogue === 'none' ? undefined : catalogue).url,
  });
  return engine;
}

describe('recommendations on the device', () => {
  it('forYou: neighbours of what the shopper viewed, with reasons; never the history itself, nor sensitive items', async () => {
    const engine = await engineWithCatalogue();
    await engine.ingest([view('trail running shoes')]);
    await until(async () => {
      const s = await engine.status();
      return s.ok && s.value.profileEvents === 1;
    });
    const r = await engine.forYou(5);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ids = r.value.map((x) => x.id);
    expect(ids).not.toContain(slug('early pregnancy test'));
    // The page reads this answer: the viewed item itself (the history) is never in it, and no
    // item names the history item it came from.
    expect(ids).not.toContain(slug('trail running shoes'));
    expect(r.value.every((x) => !('because' in x) && x.reason !== 'bought-before')).toBe(true);
    expect(ids).toContain(slug('road racing flats'));
    expect(r.value.find((x) => x.id === slug('road racing flats'))?.score).toBeGreaterThan(
      r.value.find((x) => x.id === slug('cast iron skillet'))?.score ?? 0,
    );
    expect(r.value.every((x) => typeof x.reason === 'string' && Number.isFinite(x.score))).toBe(true);
  });

  it('forYou: an impression is not a choice: the shown item stays a candidate and lends no neighbours', async () => {
    const engine = await engineWithCatalogue();
    await engine.ingest([view('espresso grinder'), view('trail running shoes', { type: 'impression' })]);
    await until(async () => {
      const s = await engine.status();
      return s.ok && s.value.profileEvents === 2;
    });
    const r = await engine.forYou(10);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const ids = r.value.map((x) => x.id);
    expect(ids).not.toContain(slug('espresso grinder'));
    expect(ids).toContain(slug('trail running shoes'));
    // Its bought-next neighbour would lead as 'bought-next' had the impression counted as chosen.
    expect(r.value.find((x) => x.id === slug('road racing flats'))?.reason).not.toBe('bought-next');
  });

  it("forYou weighs by the manifest's repeat share: trending first in a shop where shoppers reorder", async () => {
    // The espresso grinder sells most now; the socks follow the viewed shoes (together, text).
    const trending = CATALOGUE.items.map((it) =>
      it.id === slug('espresso grinder') ? { ...it, signals: { ...none, recentPopularity: 1 } } : it,
    );
    const firstFor = async (repeatShare: unknown) => {
      const engine = await engineWithCatalogue({ ...CATALOGUE, items: trending, repeatShare });
      await engine.ingest([view('trail running shoes')]);
      await until(async () => {
        const s = await engine.status();
        return s.ok && s.value.profileEvents === 1;
      });
      const r = await engine.forYou(3);
      return r.ok ? r.value[0] : undefined;
    };
    expect(await firstFor(0.3)).toMatchObject({ id: slug('espresso grinder'), reason: 'trending' });
    // A discovery shop, and a manifest whose share is unusable (the defaults), lead with the socks.
    for (const share of [0.05, 2, 'high', undefined]) {
      expect((await firstFor(share))?.id).toBe(slug('running socks'));
    }
  });

  it('related and boughtTogether answer for a product page', async () => {
    const engine = await engineWithCatalogue();
    const rel = await engine.related(slug('trail running shoes'), 3);
    expect(rel.ok && rel.value.map((x) => x.id)).toContain(slug('road racing flats'));
    const tog = await engine.boughtTogether(slug('trail running shoes'), 5);
    expect(tog.ok && tog.value.map((x) => [x.id, x.reason])).toEqual([[slug('running socks'), 'bought-together']]);
  });

  it('answers an empty list without a catalogue, and a typed error for a bad id', async () => {
    const engine = await engineWithCatalogue('none');
    expect(await engine.forYou()).toEqual({ ok: true, value: [] });
    expect(await engine.related('x')).toEqual({ ok: true, value: [] });
    const bad = await engine.boughtTogether(42);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('worker/bad-argument');
  });
});
