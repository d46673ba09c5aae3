import { createProfile, type ProfileState, type ShardSignals } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import {
  MAX_SEARCH_IDS,
  MAX_SEARCH_SHARDS,
  SEARCH_REASONS,
  type SearchSource,
  searchIds,
  searchRank,
} from './search-rank.ts';
import { type TestItem, testLookup } from './test-catalogue.ts';

// A 4-dimensional catalogue: axis 0 coffee, axis 1 beauty, axis 2 kitchen, axis 3 a sensitive topic.
const v = (...x: number[]) => Float32Array.from(x);
const none: ShardSignals = { popularity: 0, recentPopularity: 0, next: [], together: [] };
const ITEMS: Record<string, TestItem> = {
  dripper: {
    vector: v(1, 0, 0, 0),
    signals: {
      ...none,
      popularity: 0.3,
      // Its order-log neighbours: the grinder and filters (not among the results below).
      next: [
        { id: 'grinder', weight: 0.9 },
        { id: 'filters', weight: 0.5 },
      ],
      together: [{ id: 'board', weight: 0.6 }],
    },
  },
  grinder: { vector: v(0.9, 0, 0.1, 0), signals: { ...none, popularity: 0.2, next: [{ id: 'dripper', weight: 0.9 }] } },
  press: { vector: v(0.95, 0, 0.05, 0), signals: { ...none, popularity: 0.1 } },
  filters: { vector: v(0.9, 0, 0, 0), signals: none },
  cleanser: { vector: v(0, 1, 0, 0), signals: { ...none, popularity: 0.9 } },
  toner: { vector: v(0.05, 1, 0, 0), signals: { ...none, popularity: 0.4 } },
  serum: { vector: v(0, 0.95, 0.05, 0), signals: { ...none, popularity: 0.1 } },
  board: { vector: v(0.1, 0, 1, 0), signals: { ...none, popularity: 0.5 } },
  'test-kit': { vector: v(0.9, 0, 0, 1), sensitive: true, signals: none },
};

/** The catalogue as the worker's source serves it; `shardOf` as given (default: all in shard 0). */
function source(shardOf: (id: string) => number = () => 0): SearchSource & { asked: string[][] } {
  return { ...testLookup(ITEMS), shardOf };
}

function profileOf(...vectors: Float32Array[]): ProfileState {
  const p = createProfile('m', 4);
  const long = vectors[0] as Float32Array;
  return {
    ...p,
    count: 3,
    long,
    short: long,
    interests: vectors.map((vector) => ({ vector, weight: 1, count: 3, updatedAt: 0 })),
  };
}

// The shop's results for a query that matches several departments: its strong text matches first.
const RESULTS = ['cleanser', 'toner', 'serum', 'board', 'dripper', 'press', 'grinder'];
const coffeeShopper = () => ({ profile: profileOf(v(1, 0, 0, 0)), recent: [{ id: 'dripper' }] });
const sorted = (a: readonly string[]) => [...a].sort();

describe('search re-ranking: what a page script learns from it', () => {
  it('answers a permutation of exactly the ids given: no neighbour of the history is added, nothing dropped', async () => {
    // 'filters' is a neighbour of the viewed dripper: it is not among the ids, so it never appears.
    const ids = [...RESULTS, 'unknown-1', 'test-kit', 'press'];
    const r = await searchRank(ids, coffeeShopper(), source());
    expect(sorted(r.map((x) => x.id))).toEqual(sorted(ids));
    expect(r.map((x) => x.id)).not.toContain('filters');
    for (const item of r) {
      expect(Object.keys(item).sort()).toEqual(['id', 'reason']);
      expect(Object.values(SEARCH_REASONS)).toContain(item.reason);
    }
    expect(JSON.stringify(r)).not.toContain('bought-before');
    expect(JSON.stringify(r)).not.toContain('because');
  });

  it("the shopper's own items are not told apart by a reason: a viewed result gets what its peers get", async () => {
    // The shopper viewed the dripper and the grinder; each is the other's order-log neighbour. Before
    // the profile is in the catalogue's space only the neighbours rank: both viewed items are
    // "bought next" (of each other), as an unviewed neighbour would be; none is left without it.
    const early = await searchRank(RESULTS, { recent: [{ id: 'dripper' }, { id: 'grinder' }] }, source());
    const reasonIn = (r: { id: string; reason: string }[], id: string) => r.find((x) => x.id === id)?.reason;
    expect(reasonIn(early, 'grinder')).toBe(SEARCH_REASONS.boughtNext);
    expect(reasonIn(early, 'dripper')).toBe(SEARCH_REASONS.boughtNext);
    // With the profile: the viewed dripper matches it, as does the press nobody viewed.
    const shopper = { profile: profileOf(v(1, 0, 0, 0)), recent: [{ id: 'dripper' }, { id: 'grinder' }] };
    const r = await searchRank(RESULTS, shopper, source());
    expect(reasonIn(r, 'dripper')).toBe(SEARCH_REASONS.profile);
    expect(reasonIn(r, 'press')).toBe(SEARCH_REASONS.profile);
    // Against a shopper with the same profile who viewed neither: the same reasons for every result.
    const other = await searchRank(RESULTS, { profile: profileOf(v(1, 0, 0, 0)), recent: [{ id: 'board' }] }, source());
    for (const id of RESULTS) expect(reasonIn(other, id)).toBe(reasonIn(r, id));
  });

  it('ids a page made up come back in the order given, each as "shop-order"', async () => {
    const made = ['EVIL-3', 'EVIL-1', 'EVIL-2', 'EVIL-1'];
    expect(await searchRank(made, coffeeShopper(), source())).toEqual(
      made.map((id) => ({ id, reason: SEARCH_REASONS.shopOrder })),
    );
  });
});

describe('search re-ranking', () => {
  it("puts the profile's matches first without burying the shop's strongest text match", async () => {
    const r = await searchRank(RESULTS, { profile: profileOf(v(1, 0, 0, 0)), recent: [] }, source());
    const ids = r.map((x) => x.id);
    expect(ids.slice(0, 3).sort()).toEqual(['dripper', 'grinder', 'press']);
    expect(r.find((x) => x.id === 'press')?.reason).toBe(SEARCH_REASONS.profile);
    // The shop's first result (no match with the profile) stays right after them, with its reason.
    expect(ids[3]).toBe('cleanser');
    expect(r[3]?.reason).toBe(SEARCH_REASONS.shopOrder);
    // Among equals the shop's order holds: toner before serum.
    expect(ids.indexOf('toner')).toBeLessThan(ids.indexOf('serum'));
  });

  it("lifts the order-log neighbours of the shopper's recent items, saying so", async () => {
    // The grinder, the shop's last result, is the viewed dripper's strongest "bought next"; the
    // board is bought together with it (half the weight of a "next").
    const r = await searchRank(RESULTS, { recent: [{ id: 'dripper' }] }, source());
    // Grinder 0.2/log2(8) + 0.3 (its neighbour term) = 0.37 beats the shop's first result, the
    // cleanser (0.2 + its popularity 0.09); the board's together term (0.3 x 0.3 / 0.9 = 0.1) adds
    // to its shop position (0.2/log2(5) = 0.086), lifting it past the toner (0.13 + 0.04).
    expect(r.map((x) => x.id)).toEqual(['grinder', 'cleanser', 'board', 'toner', 'serum', 'dripper', 'press']);
    expect(r.map((x) => x.reason)).toEqual([
      SEARCH_REASONS.boughtNext,
      SEARCH_REASONS.shopOrder,
      SEARCH_REASONS.boughtTogether,
      ...Array(4).fill(SEARCH_REASONS.shopOrder),
    ]);
  });

  it('keeps results the catalogue does not have, and sensitive ones, at their shop position', async () => {
    const ids = ['cleanser', 'unknown-1', 'toner', 'test-kit', 'dripper', 'press'];
    const r = await searchRank(ids, coffeeShopper(), source());
    expect(r[1]).toEqual({ id: 'unknown-1', reason: SEARCH_REASONS.shopOrder });
    // The sensitive kit matches the coffee profile, and is never moved by it.
    expect(r[3]).toEqual({ id: 'test-kit', reason: SEARCH_REASONS.shopOrder });
    expect(r.map((x) => x.id).slice(0, 1)).toEqual(['dripper']);
  });

  it('answers the shop order when nothing is known of the shopper', async () => {
    expect(await searchRank(RESULTS, { recent: [] }, source())).toEqual(
      RESULTS.map((id) => ({ id, reason: SEARCH_REASONS.shopOrder })),
    );
    expect(await searchRank([], coffeeShopper(), source())).toEqual([]);
  });

  it(`reads at most ${MAX_SEARCH_SHARDS} shards of results per call, the first in the shop's order; the rest keep their place`, async () => {
    // 100 ids over 20 shards: the results in the first 8 shards (by the ids' order) are read.
    const ids = Array.from({ length: MAX_SEARCH_IDS }, (_, i) => (i === 50 ? 'press' : `x-${i}`));
    const shardOf = (id: string) => (id.startsWith('x-') ? Number(id.slice(2)) % 20 : id === 'press' ? 19 : 0);
    const src = source(shardOf);
    const r = await searchRank(ids, coffeeShopper(), src);
    const read = src.asked.flat().filter((id) => id !== 'dripper');
    expect(new Set(read.map(shardOf)).size).toBe(MAX_SEARCH_SHARDS);
    expect(read).not.toContain('press');
    // The press (a coffee match, in shard 19) is not read, so it is not lifted.
    expect(r[50]).toEqual({ id: 'press', reason: SEARCH_REASONS.shopOrder });
    // The same ids with the press third, behind a toner (both shards among the first 8): it is
    // read and lifted past the toner (the unknown ids around them keep their places).
    const early = ids.map((id, i) => (i === 50 ? 'x-50' : i === 1 ? 'toner' : i === 2 ? 'press' : id));
    const lifted = await searchRank(early, coffeeShopper(), source(shardOf));
    expect(lifted.slice(1, 3)).toEqual([
      { id: 'press', reason: SEARCH_REASONS.profile },
      { id: 'toner', reason: SEARCH_REASONS.shopOrder },
    ]);
  });

  it('takes only an array of at most 100 non-empty strings', () => {
    expect(searchIds(['a', 'b', 'a'])).toEqual(['a', 'b', 'a']);
    expect(searchIds([])).toEqual([]);
    for (const bad of [undefined, 'a', [1], ['a', ''], [null], { 0: 'a', length: 1 }, Array(101).fill('a')])
      expect(searchIds(bad)).toBeUndefined();
  });
});
