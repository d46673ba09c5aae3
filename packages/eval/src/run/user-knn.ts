/**
 * "Customers like you": user-based nearest neighbours over every customer's purchases, the classic
 * collaborative-filtering list. It is a reference, never a shippable recommender: it ranks one
 * shopper's list from other shoppers' whole histories, which only a server holding all of them
 * could do (and Portrait's device never receives). The eval reports it to show how far the order
 * log alone can go on a data set, next to what the published catalogue signals reach.
 *
 * Similarity is the cosine of the two customers' sets of distinct items: |A ∩ B| / sqrt(|A| |B|).
 * An item's score is the summed similarity of the `k` most similar customers who bought it.
 */
export class CustomerIndex {
  private readonly items = new Map<string, Set<string>>();
  private readonly buyers = new Map<string, string[]>();

  /** Adds one order of customer `key` (the caller adds orders in time order, none after a query). */
  add(key: string, order: readonly string[]): void {
    let mine = this.items.get(key);
    if (!mine) {
      mine = new Set();
      this.items.set(key, mine);
    }
    for (const item of order) {
      if (mine.has(item)) continue;
      mine.add(item);
      const b = this.buyers.get(item);
      if (b) b.push(key);
      else this.buyers.set(item, [key]);
    }
  }

  /**
   * Item scores (best = 1) for a customer who bought `items`, from its `k` nearest other
   * customers; `self`'s own orders are never its neighbour. Empty without an overlap.
   */
  scores(items: readonly string[], self: string | undefined, k: number): Map<string, number> {
    const mine = new Set(items);
    const overlap = new Map<string, number>();
    for (const item of mine) {
      for (const other of this.buyers.get(item) ?? []) {
        if (other !== self) overlap.set(other, (overlap.get(other) ?? 0) + 1);
      }
    }
    const sims = [...overlap].map(([key, n]) => ({
      key,
      sim: n / Math.sqrt(mine.size * (this.items.get(key)?.size ?? 1)),
    }));
    // Ties by key, so the list does not depend on the order customers arrived in.
    sims.sort((a, b) => b.sim - a.sim || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const out = new Map<string, number>();
    for (const { key, sim } of sims.slice(0, Math.max(0, k))) {
      for (const item of this.items.get(key) ?? []) out.set(item, (out.get(item) ?? 0) + sim);
    }
    let best = 0;
    for (const v of out.values()) if (v > best) best = v;
    if (best > 0) for (const [item, s] of out) out.set(item, s / best);
    return out;
  }
}
