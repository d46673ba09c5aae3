import { createProfile, forYouWeights, type ProfileState, type ShardSignals } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import { boughtTogether } from './bought-together.ts';
import { forYou, MAX_SHOP_HISTORY, shopHistoryOf } from './for-you.ts';
import { related } from './related.ts';
import { type TestItem, testLookup } from './test-catalogue.ts';
import { RECOMMEND_REASONS, type RecommendSource } from './types.ts';

// A 4-dimensional catalogue: axis 0 kitchen, axis 1 running, axis 2 garden, axis 3 a sensitive topic.
const v = (...x: number[]) => Float32Array.from(x);
const none: ShardSignals = { popularity: 0, recentPopularity: 0, next: [], together: [] };
const ITEMS: Record<string, TestItem> = {
  skillet: {
    vector: v(1, 0, 0, 0),
    signals: {
      popularity: 0.5,
      recentPopularity: 0.2,
      next: [
        { id: 'spatula', weight: 0.3 },
        { id: 'test-kit', weight: 0.9 },
      ],
      together: [
        { id: 'oil', weight: 0.4 },
        { id: 'trowel', weight: 0.1 },
      ],
    },
  },
  spatula: { vector: v(0.9, 0.1, 0, 0), signals: { ...none, popularity: 0.2 } },
  oil: { vector: v(0.7, 0, 0.3, 0), signals: { ...none, popularity: 0.9 } },
  trowel: { vector: v(0, 0, 1, 0), signals: { ...none, popularity: 0.3 } },
  pan: { vector: v(0.95, 0, 0.05, 0), signals: { ...none, popularity: 0.1, next: [{ id: 'shoes', weight: 0.9 }] } },
  shoes: { vector: v(0, 1, 0, 0), signals: { ...none, popularity: 1, recentPopularity: 1 } },
  'test-kit': { vector: v(0, 0, 0, 1), sensitive: true, signals: { ...none, popularity: 0.4 } },
  // An item of a format-2 shard: a vector, no signals.
  plain: { vector: v(0.5, 0.5, 0, 0) },
};

/** The catalogue as the worker's source would serve it: one shard, every item "loaded", shoes popular. */
function source(
  loaded = Object.keys(ITEMS),
  popular = ['shoes'],
  repeatShare?: number,
): RecommendSource & { asked: string[][] } {
  return {
    ...testLookup(ITEMS),
    popular,
    repeatShare,
    loadedIds: async () => loaded,
    shardMates: async () => Object.keys(ITEMS),
  };
}

// The weights the expectations below were worked out with (seen items left out).
const W = {
  recentItems: 10,
  recencyDecay: 0.7,
  next: 1,
  together: 0.5,
  neighbours: 1,
  profileMulti: 0.3,
  profileLong: 0.3,
  recentPopularity: 0.3,
  popularity: 0.1,
  repeat: 0,
  excludeSeen: true,
};

function profileOf(vector: Float32Array): ProfileState {
  const p = createProfile('m', 4);
  return { ...p, count: 3, long: vector, short: vector, interests: [{ vector, weight: 1, count: 3, updatedAt: 0 }] };
}

describe('on-device recommenders', () => {
  // Related with neighbours and text weighed alike and no popularity prior: the numbers below.
  const RW = { next: 1, together: 1, neighbours: 1, text: 1, popularity: 0 };

  it("related: the item's neighbours blended with text similarity, sensitive items never", async () => {
    const r = await related('skillet', source(), 4, RW);
    const ids = r.map((x) => x.id);
    expect(ids).not.toContain('skillet');
    expect(ids).not.toContain('test-kit');
    // Neighbour weights over the best (0.9, the sensitive kit's: it still sets the scale) plus the
    // cosine: oil 0.44 + 0.92, spatula 0.33 + 0.99, pan 0 + 1.00.
    expect(ids.slice(0, 3)).toEqual(['oil', 'spatula', 'pan']);
    const pan = r.find((x) => x.id === 'pan');
    expect(pan).toMatchObject({ reason: RECOMMEND_REASONS.similar, because: 'skillet' });
    // Oil's cosine outweighs its neighbour weight; the trowel is only a neighbour.
    expect(r.find((x) => x.id === 'oil')?.reason).toBe(RECOMMEND_REASONS.similar);
    const all = await related('skillet', source(), 10, RW);
    expect(all.find((x) => x.id === 'trowel')).toMatchObject({
      reason: RECOMMEND_REASONS.boughtTogether,
      because: 'skillet',
    });
    expect(await related('unknown', source(), 4)).toEqual([]);
  });

  it('related at the defaults adds the shop popularity: of two items about as related, the one shoppers buy first', async () => {
    // Oil: 0.4 x its neighbour weight (0.4 over the best, 0.9) + its cosine + 0.1 x its popularity 0.9;
    // shoes (no neighbour, cosine 0) is the prior alone: 0.1 x 1.
    const r = await related('skillet', source(), 10);
    const score = (id: string) => r.find((x) => x.id === id)?.score as number;
    expect(score('oil')).toBeCloseTo(0.4 * (0.4 / 0.9) + 0.7 / Math.hypot(0.7, 0.3) + 0.1 * 0.9, 2);
    const noPrior = await related('skillet', source(), 10, { ...RW, neighbours: 0.4 });
    expect((noPrior.find((x) => x.id === 'shoes')?.score ?? 0) + 0.1).toBeCloseTo(score('shoes'), 5);
  });

  it('related reads nothing of the shopper: the shards fetched before (which follow history) change nothing', async () => {
    const fresh = await related('skillet', source([]), 10);
    expect(fresh.length).toBeGreaterThan(3);
    expect(await related('skillet', source(['pan', 'shoes']), 10)).toEqual(fresh);
  });

  it('related without any order signals is plain text similarity', async () => {
    const r = await related('plain', source(), 3);
    expect(r.map((x) => x.reason)).toEqual([
      RECOMMEND_REASONS.similar,
      RECOMMEND_REASONS.similar,
      RECOMMEND_REASONS.similar,
    ]);
    expect(r.every((x, i) => i === 0 || (r[i - 1] as { score: number }).score >= x.score)).toBe(true);
  });

  it('often bought together: the together list, strongest first, sensitive and unknown items dropped', async () => {
    const r = await boughtTogether('skillet', source(), 5);
    expect(r.map((x) => [x.id, x.reason, x.because])).toEqual([
      ['oil', 'bought-together', 'skillet'],
      ['trowel', 'bought-together', 'skillet'],
    ]);
    expect(r[0]?.score).toBeCloseTo(1 + 0.01 * 0.9, 10);
    expect(await boughtTogether('pan', source(), 5)).toEqual([]);
    expect(await boughtTogether('skillet', source(), 1)).toHaveLength(1);
  });

  it('for you: neighbours of recent items + profile + popularity; seen and sensitive items left out', async () => {
    const r = await forYou(
      { profile: profileOf(v(1, 0, 0, 0)), recent: [{ id: 'skillet', count: 1 }] },
      source(),
      10,
      W,
    );
    const ids = r.map((x) => x.id);
    expect(ids).not.toContain('skillet');
    expect(ids).not.toContain('test-kit');
    expect(ids.slice(0, 2).sort()).toEqual(['oil', 'spatula']);
    expect(r.find((x) => x.id === 'spatula')?.reason).toBe(RECOMMEND_REASONS.profile);
    expect(r.find((x) => x.id === 'shoes')?.reason).toBe(RECOMMEND_REASONS.trending);
    // Without a profile the neighbours say which recent item they follow.
    const noProfile = await forYou({ recent: [{ id: 'skillet', count: 1 }] }, source(), 10, W);
    // The shipped defaults leave the seen item out too, sensitive ones always.
    const shipped = await forYou(
      { profile: profileOf(v(1, 0, 0, 0)), recent: [{ id: 'skillet', count: 1 }] },
      source(),
      10,
    );
    expect(shipped.map((x) => x.id)).not.toContain('skillet');
    expect(shipped.map((x) => x.id)).not.toContain('test-kit');
    expect(noProfile.find((x) => x.id === 'spatula')).toMatchObject({
      reason: RECOMMEND_REASONS.boughtNext,
      because: 'skillet',
    });
    expect(noProfile.find((x) => x.id === 'oil')).toMatchObject({ reason: RECOMMEND_REASONS.boughtTogether });
    expect(r.every((x) => Number.isFinite(x.score))).toBe(true);
  });

  it("for you at the defaults follows the shop's repeat share: what sells now weighs more where shoppers reorder", async () => {
    const input = { profile: profileOf(v(1, 0, 0, 0)), recent: [] };
    const discovery = await forYou(input, source(undefined, undefined, 0.05), 3);
    const replenishment = await forYou(input, source(undefined, undefined, 0.3), 3);
    // A discovery shop leads with the kitchen profile; a replenishment one with the trending shoes.
    expect(discovery[0]?.reason).toBe(RECOMMEND_REASONS.profile);
    expect(discovery.map((x) => x.id)).not.toContain('shoes');
    expect(replenishment[0]).toMatchObject({ id: 'shoes', reason: RECOMMEND_REASONS.trending });
    // No share published is the defaults; a published one is exactly forYouWeights of it.
    expect(await forYou(input, source(), 3)).toEqual(await forYou(input, source(), 3, forYouWeights(undefined)));
    expect(replenishment).toEqual(await forYou(input, source(), 3, forYouWeights(0.3)));
  });

  it('for you weighs recent items more than older ones', async () => {
    const recentFirst = await forYou(
      {
        recent: [
          { id: 'pan', count: 1 },
          { id: 'skillet', count: 1 },
        ],
      },
      source(),
      10,
      W,
    );
    const s = (id: string) => recentFirst.find((x) => x.id === id)?.score ?? 0;
    const skilletFirst = await forYou(
      {
        recent: [
          { id: 'skillet', count: 1 },
          { id: 'pan', count: 1 },
        ],
      },
      source(),
      10,
      W,
    );
    const t = (id: string) => skilletFirst.find((x) => x.id === id)?.score ?? 0;
    expect(t('spatula')).toBeGreaterThan(s('spatula'));
  });

  it('for you with nothing known is the popularity prior; seen items return with a repeat weight', async () => {
    const cold = await forYou({ recent: [] }, source(['shoes', 'pan'], ['shoes']), 2, W);
    expect(cold.map((x) => [x.id, x.reason])).toEqual([
      ['shoes', 'trending'],
      ['pan', 'popular'],
    ]);
    const again = await forYou({ recent: [{ id: 'shoes', count: 4 }] }, source(['shoes', 'pan'], []), 2, {
      recentItems: 10,
      recencyDecay: 0.7,
      next: 1,
      together: 0.5,
      neighbours: 1,
      profileMulti: 0,
      profileLong: 0,
      recentPopularity: 0,
      popularity: 0,
      repeat: 1,
      excludeSeen: false,
    });
    expect(again[0]).toMatchObject({ id: 'shoes', reason: 'bought-before' });
  });

  it("for you with the shop's order record: its items come back as 'bought before', weighted by the shop's counts alone", async () => {
    const profile = profileOf(v(1, 0, 0, 0));
    const shopHistory = [
      { id: 'skillet', count: 3 },
      { id: 'trowel', count: 1 },
      // Next to the profile: its profile term (0.99) outweighs its repeat term (log 2), yet it says
      // "bought before": the reason of an item the page named never reflects the device.
      { id: 'spatula', count: 1 },
    ];
    const r = await forYou({ profile, recent: [{ id: 'skillet', count: 1 }], shopHistory }, source(), 10);
    // The skillet (viewed here, bought three times per the shop) is back first; the trowel, which
    // the device never saw, is back too; the sensitive kit still never.
    expect(r[0]).toMatchObject({ id: 'skillet', reason: RECOMMEND_REASONS.again });
    expect(r.find((x) => x.id === 'trowel')?.reason).toBe(RECOMMEND_REASONS.again);
    expect(r.find((x) => x.id === 'spatula')?.reason).toBe(RECOMMEND_REASONS.again);
    expect(r.map((x) => x.id)).not.toContain('test-kit');
    // What comes back for an item the shop named does not depend on how often the device saw it.
    const seenOften = await forYou({ profile, recent: [{ id: 'skillet', count: 40 }], shopHistory }, source(), 10);
    expect(seenOften).toEqual(r);
    // Without the record, an item only the device saw stays out.
    const viewedOnly = await forYou({ profile, recent: [{ id: 'skillet', count: 3 }] }, source(), 10);
    expect(viewedOnly.map((x) => x.id)).not.toContain('skillet');
    expect(viewedOnly.map((x) => x.reason)).not.toContain(RECOMMEND_REASONS.again);
  });

  it('takes a shop record only as at most 100 { id, count } with counts of 1 to 1,000', () => {
    expect(shopHistoryOf(undefined)).toEqual([]);
    expect(shopHistoryOf([{ id: 'a', count: 2 }])).toEqual([{ id: 'a', count: 2 }]);
    for (const bad of [
      'a',
      [{ id: 'a' }],
      [{ id: '', count: 1 }],
      [{ id: 'a', count: 0 }],
      [{ id: 'a', count: Number.NaN }],
      [{ id: 'a', count: 1e6 }],
      [{ id: 7, count: 1 }],
      Array.from({ length: MAX_SHOP_HISTORY + 1 }, (_, i) => ({ id: `x${i}`, count: 1 })),
    ])
      expect(shopHistoryOf(bad)).toBeUndefined();
  });

  it('fetches at most the bounded number of neighbour candidates per call', async () => {
    const src = source();
    await forYou({ recent: [{ id: 'skillet', count: 1 }] }, src, 3, W);
    expect(src.asked.length).toBe(2);
  });
});
