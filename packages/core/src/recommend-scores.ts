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

/** Default weights of the on-device recommenders (the eval's "engine defaults" rows). */
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
     * online-retail-dev (300 users) reaches 0.1696 HR@20 with it, 96 % of its best row 0.1775.
     * Recent popularity 0.3 lifted retail to 0.1736 but cost Amazon 6 % (HR@10 0.1330).
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
