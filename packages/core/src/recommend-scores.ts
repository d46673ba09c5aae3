/**
 * The scoring the on-device recommenders share with the eval (so the eval measures what ships):
 * the default weights, and how the catalogue signals of a shopper's recent items become one
 * score per candidate. The worker's recommend/ modules and the eval's rows both call these.
 */

/** The neighbour lists of one item, as a shard carries them (weights 0..1). */
export interface NeighbourLists {
  next: readonly { id: string; weight: number }[];
  together: readonly { id: string; weight: number }[];
}

/**
 * Default weights of the on-device recommenders (the eval's "engine defaults" rows). "For you"
 * starts from `forYou` and moves with the shop's published repeat share (`forYouWeights`).
 */
export const DEFAULT_RECOMMENDER = {
  forYou: {
    /** The shopper's most recent distinct items whose neighbours count. */
    recentItems: 10,
    /** Weight of the k-th most recent item: decay^k (k = 0 for the latest). */
    recencyDecay: 0.7,
    /** Per kind, inside the neighbour score. */
    next: 1,
    together: 0.5,
    /**
     * Terms of the blend, fitted on the dev sets with the "for you" grid (cross-validated over
     * users): Amazon Industrial (1,000 users) chose exactly this point on all folds, HR@10 0.1420;
     * online-retail-dev (300 users) reaches only 0.1699 HR@20 with it (its own best point is
     * `REPLENISHMENT_FOR_YOU`, which costs Amazon ~10 %): the shop's repeat share picks between
     * them (`forYouWeights`).
     */
    neighbours: 0.3,
    profileMulti: 1,
    profileLong: 0,
    recentPopularity: 0.1,
    popularity: 0.1,
    /**
     * Items the shop sold this shopper before (the shop's own order record, which the page passes
     * in): log1p(count) times this. On the eval's data every chosen item is such an order: its
     * "for you, shop's orders passed" row passes them all, "for you, device only" none.
     */
    repeat: 1,
    /**
     * Never answer an item the shopper chose on this device unless the shop's record names it:
     * the answer reaches every script on the page, and those items in score order would be the
     * history itself.
     */
    excludeSeen: true,
  },
  related: {
    next: 1,
    together: 1,
    /**
     * Read from the eval's "related" grid (neighbours {0.4, 0.6, 1} x popularity {0, 0.05, 0.1,
     * 0.15}, text 1) on the three dev sets, the point best on all three at once: against the old
     * (neighbours 1, no popularity) Industrial HR@10 0.1516 -> 0.1591, Office 0.1839 -> 0.1868.
     * A profile term (0.3 x multi-interest cosine) added ~0.001 on Industrial; left out, as
     * "related" reads nothing of the shopper.
     */
    neighbours: 0.4,
    /** Cosine of the item's text vector with the candidate's. */
    text: 1,
    /** The shop's (log-scaled) popularity: between two equally related items, the one shoppers buy. */
    popularity: 0.1,
  },
  together: {
    /** A tie-break among equally strong neighbours, and the fallback when the item has none. */
    popularity: 0.01,
  },
  /**
   * Search re-ranking: the shop's results, in its order, re-ordered by a blend of that order (a
   * prior, so its strongest text match stays near the top), the profile and the catalogue
   * signals. Not fitted (the eval's data sets hold no searches): the prior is light, so a result
   * whose profile cosine is 0.15 above the shop's first takes the top from tenth place. In the
   * demo (e2e/demo-search-rank) a hiker's "shoes" results lead with hiking shoes, the shop's
   * first result (a running shoe) second; at 0.5 that running shoe stayed first.
   */
  search: {
    /** The shop's order: shopOrder / log2(rank + 2), so its first result gets the whole weight. */
    shopOrder: 0.2,
    profileMulti: 1,
    profileLong: 0.3,
    /** Order-log neighbours of the shopper's recent items, as in "for you". */
    recentItems: 10,
    recencyDecay: 0.7,
    next: 1,
    together: 0.5,
    neighbours: 0.3,
    popularity: 0.1,
  },
} as const;

/** The "for you" weights, one number each (a flag for `excludeSeen`). */
export type ForYouWeights = {
  [K in keyof typeof DEFAULT_RECOMMENDER.forYou]: (typeof DEFAULT_RECOMMENDER.forYou)[K] extends boolean
    ? boolean
    : number;
};

/**
 * "For you" in a replenishment shop, where shoppers reorder what they bought: the point the "for
 * you" grid chose on all five folds of online-retail-dev (HR@20 0.1774 against 0.1699 at the
 * defaults), which costs Amazon's for-you ~10 % (so it is not the default).
 */
export const REPLENISHMENT_FOR_YOU = { profileMulti: 0.3, profileLong: 0.3, recentPopularity: 1 } as const;

/**
 * The shop's repeat share (published with its catalogue signals) over which "for you" moves from
 * the defaults to `REPLENISHMENT_FOR_YOU`, linearly. The dev sets sit outside it: Amazon
 * Industrial at most 0.06 and Office 0.09 all along their logs, online-retail-dev 0.38 (above
 * 0.22 after its first 15 % of orders); a shop in between gets a mix.
 */
export const REPEAT_SHARE_BAND = [0.12, 0.22] as const;

/**
 * The "for you" weights for a shop of this repeat share: the defaults without one (no order log,
 * or one without a customer key), the replenishment point at or above the band.
 */
export function forYouWeights(repeatShare: number | undefined): ForYouWeights {
  const d = DEFAULT_RECOMMENDER.forYou;
  if (repeatShare === undefined || !Number.isFinite(repeatShare)) return { ...d };
  const [lo, hi] = REPEAT_SHARE_BAND;
  const t = Math.min(1, Math.max(0, (repeatShare - lo) / (hi - lo)));
  const mix = (a: number, b: number) => a * (1 - t) + b * t;
  const r = REPLENISHMENT_FOR_YOU;
  return {
    ...d,
    profileMulti: mix(d.profileMulti, r.profileMulti),
    profileLong: mix(d.profileLong, r.profileLong),
    recentPopularity: mix(d.recentPopularity, r.recentPopularity),
  };
}

/** Weight of each of `n` recent items, latest first. */
export function recencyWeights(n: number, decay: number): number[] {
  return Array.from({ length: Math.max(0, n) }, (_, k) => decay ** k);
}

/**
 * Per candidate id, the recency-weighted sum of its weight in each source item's neighbour lists
 * (`next` and `together` weighted per kind), scaled so the best candidate is 1. The source items
 * themselves are candidates only with `withSources` (a list that must not hide which items are
 * the shopper's, as search re-ranking). Sources without signals add nothing.
 */
export function neighbourScores(
  sources: readonly { id: string; weight: number }[],
  listsOf: (id: string) => NeighbourLists | undefined,
  kinds: { next: number; together: number },
  withSources = false,
): Map<string, number> {
  const out = new Map<string, number>();
  const self = new Set(withSources ? [] : sources.map((s) => s.id));
  for (const { id, weight } of sources) {
    const lists = listsOf(id);
    if (!lists || !(weight > 0)) continue;
    for (const [kind, w] of [
      [lists.next, kinds.next],
      [lists.together, kinds.together],
    ] as const) {
      if (!(w > 0)) continue;
      for (const n of kind) {
        if (self.has(n.id) || !(n.weight > 0)) continue;
        out.set(n.id, (out.get(n.id) ?? 0) + weight * w * n.weight);
      }
    }
  }
  let max = 0;
  for (const v of out.values()) if (v > max) max = v;
  if (max > 0) for (const [k, v] of out) out.set(k, v / max);
  return out;
}
