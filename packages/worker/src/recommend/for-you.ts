import { DEFAULT_RECOMMENDER, neighbourScores, type ProfileState, recencyWeights } from '@portrait/core';
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
}

/** Most neighbour candidates whose shards "for you" may fetch: it bounds the requests one call makes. */
export const MAX_NEIGHBOUR_CANDIDATES = 40;

export type ForYouWeights = {
  [K in keyof typeof DEFAULT_RECOMMENDER.forYou]: (typeof DEFAULT_RECOMMENDER.forYou)[K] extends boolean
    ? boolean
    : number;
};

/**
 * "For you": the profile's cosines (multi-interest and long-term) + the order-log neighbours of
 * the shopper's recent items, recency-weighted + a popularity prior, over the neighbours, the
 * merchant's popular items and every item of the shards already fetched. Seen items are left out
 * (default), sensitive items always. The same blend as the eval's "for you (engine defaults)" row.
 */
export async function forYou(
  input: ForYouInput,
  source: RecommendSource,
  k: number,
  w: ForYouWeights = DEFAULT_RECOMMENDER.forYou,
): Promise<RecommendedItem[]> {
  const recent = input.recent.slice(0, w.recentItems);
  const rw = recencyWeights(recent.length, w.recencyDecay);
  const sources = recent.map((r, i) => ({ id: r.id, weight: rw[i] as number }));
  const sourceHits = await source.lookup(sources.map((s) => s.id));
  const signalsOf = new Map(sources.map((s, i) => [s.id, sourceHits[i]?.signals]));
  const nb = neighbourScores(sources, (id) => signalsOf.get(id), w);
  const why = strongestSource(sources, (id) => signalsOf.get(id), w);
  const counts = new Map(input.recent.map((r) => [r.id, r.count]));
  const neighbourIds = [...nb]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_NEIGHBOUR_CANDIDATES)
    .map(([id]) => id);
  const candidates = [...new Set([...neighbourIds, ...source.popular, ...(await source.loadedIds())])].filter(
    (id) => !(w.excludeSeen && counts.has(id)),
  );
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
      [RECOMMEND_REASONS.again, w.repeat * Math.log1p(counts.get(id) ?? 0)],
    ];
    const entry: { total: number; terms: [RecommendReason, number][]; because?: string } = {
      total: terms.reduce((s, t) => s + t[1], 0),
      terms,
    };
    if (src && n > 0) entry.because = src.source;
    scored.set(id, entry);
  });
  return topWithReasons(scored, k);
}
