import { type ForYouWeights, forYouWeights, neighbourScores, type ProfileState, recencyWeights } from '@portrait/core';
import {
  cos,
  RECOMMEND_REASONS,
  type RecommendedItem,
  type RecommendReason,
  type RecommendSource,
  strongestSource,
  topWithReasons,
} from './types.ts';

/** What "for you" knows of the shopper: all of it stays on the device. */
export interface ForYouInput {
  /** The profile, when it is in the catalogue's vector space. */
  profile?: ProfileState;
  /** Distinct items the shopper chose (viewed, carted, bought), latest first, with how often. */
  recent: readonly { id: string; count: number }[];
  /**
   * The shop's own record of this shopper's orders (its server has them), passed in by the page:
   * these may come back ("buy again"), their repeat term from the shop's counts alone.
   */
  shopHistory?: readonly ShopHistoryItem[];
}

/** One item of the shop's order record: its id and how many times the shop sold it to this shopper. */
export interface ShopHistoryItem {
  id: string;
  count: number;
}

/** Most items of the shop's order record one call takes. */
export const MAX_SHOP_HISTORY = 100;

/**
 * The page's shop history as given when it is absent (none) or an array of at most
 * `MAX_SHOP_HISTORY` `{ id, count }` (a non-empty string, a count of 1 to 1,000); else undefined.
 */
export function shopHistoryOf(x: unknown): ShopHistoryItem[] | undefined {
  if (x === undefined) return [];
  if (!Array.isArray(x) || x.length > MAX_SHOP_HISTORY) return undefined;
  const out: ShopHistoryItem[] = [];
  for (const it of x) {
    const id = (it as { id?: unknown })?.id;
    const count = (it as { count?: unknown })?.count;
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) return undefined;
    if (typeof count !== 'number' || !(count >= 1 && count <= 1000)) return undefined;
    out.push({ id, count });
  }
  return out;
}

/** Most neighbour candidates whose shards "for you" may fetch: it bounds the requests one call makes. */
export const MAX_NEIGHBOUR_CANDIDATES = 40;

/**
 * "For you": the profile's cosines (multi-interest and long-term) + the order-log neighbours of
 * the shopper's recent items, recency-weighted + a popularity prior + a repeat term, over the
 * neighbours, the merchant's popular items, every item of the shards already fetched and the
 * shop's order record. With `excludeSeen` (the default) an item the shopper chose on this device
 * never comes back unless the shop's record holds it, and the repeat term reads the shop's counts
 * only: what is returned about an item the page named does not depend on the device's history of
 * it. Sensitive items never. The weights follow the shop's published repeat share
 * (`forYouWeights`). The same blend as the eval's two "for you … (engine defaults)" rows.
 */
export async function forYou(
  input: ForYouInput,
  source: RecommendSource,
  k: number,
  w: ForYouWeights = forYouWeights(source.repeatShare),
): Promise<RecommendedItem[]> {
  const recent = input.recent.slice(0, w.recentItems);
  const rw = recencyWeights(recent.length, w.recencyDecay);
  const sources = recent.map((r, i) => ({ id: r.id, weight: rw[i] as number }));
  const sourceHits = await source.lookup(sources.map((s) => s.id));
  const signalsOf = new Map(sources.map((s, i) => [s.id, sourceHits[i]?.signals]));
  const shop = new Map((input.shopHistory ?? []).map((h) => [h.id, h.count]));
  // The shop's items count as neighbours of one another too, whether or not the device chose them:
  // a missing neighbour term would tell the page which of the items it named are the device's.
  const nb = neighbourScores(sources, (id) => signalsOf.get(id), w, shop.size > 0);
  const why = strongestSource(sources, (id) => signalsOf.get(id), w);
  const counts = new Map(input.recent.map((r) => [r.id, r.count]));
  const repeatCount = (id: string) => shop.get(id) ?? (w.excludeSeen ? 0 : (counts.get(id) ?? 0));
  const hidden = (id: string) => w.excludeSeen && counts.has(id) && !shop.has(id);
  const neighbourIds = [...nb]
    .filter(([id]) => !hidden(id))
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_NEIGHBOUR_CANDIDATES)
    .map(([id]) => id);
  const candidates = [
    ...new Set([...neighbourIds, ...source.popular, ...(await source.loadedIds()), ...shop.keys()]),
  ].filter((id) => !hidden(id));
  if (!w.excludeSeen) for (const r of recent) if (!candidates.includes(r.id)) candidates.push(r.id);
  const hits = await source.lookup(candidates);
  const p = input.profile && input.profile.count > 0 ? input.profile : undefined;
  const scored = new Map<string, { total: number; terms: [RecommendReason, number][]; because?: string }>();
  candidates.forEach((id, i) => {
    const hit = hits[i];
    // Not published (nothing to show) or near a sensitive topic (never suggested from a profile).
    if (!hit || hit.sensitive) return;
    const multi = p ? Math.max(0, ...p.interests.map((c) => cos(c.vector, hit.vector))) : 0;
    const long = p ? cos(p.long, hit.vector) : 0;
    const n = nb.get(id) ?? 0;
    const src = why.get(id);
    const terms: [RecommendReason, number][] = [
      [src?.reason ?? RECOMMEND_REASONS.boughtNext, w.neighbours * n],
      [RECOMMEND_REASONS.profile, w.profileMulti * multi + w.profileLong * long],
      [RECOMMEND_REASONS.trending, w.recentPopularity * (hit.signals?.recentPopularity ?? 0)],
      [RECOMMEND_REASONS.popular, w.popularity * (hit.signals?.popularity ?? 0)],
      [RECOMMEND_REASONS.again, w.repeat * Math.log1p(repeatCount(id))],
    ];
    const entry: { total: number; terms: [RecommendReason, number][]; because?: string } = {
      total: terms.reduce((s, t) => s + t[1], 0),
      terms,
    };
    if (src && n > 0) entry.because = src.source;
    scored.set(id, entry);
  });
  // An item of the shop's record is there because the shop sold it: its reason says so whatever
  // term weighed most, so the reason of an item the page named never reflects the device.
  return topWithReasons(scored, k).map((it) => (shop.has(it.id) ? { ...it, reason: RECOMMEND_REASONS.again } : it));
}
