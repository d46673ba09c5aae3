import { DEFAULT_RECOMMENDER, neighbourScores, type ProfileState, recencyWeights } from '@portrait/core';
import { cos, RECOMMEND_REASONS, type RecommendSource, strongestSource } from './types.ts';

/** Most result ids one call re-ranks (a results page, with room to spare). */
export const MAX_SEARCH_IDS = 100;

/**
 * Most distinct catalogue shards one call reads for the results: a page passing 100 random ids
 * would otherwise make the device fetch every shard of the catalogue. The shards are taken in the
 * shop's order of the ids (its best results first), whether already fetched or not, so which
 * results get ranked follows from the ids alone, never from which shards the history fetched;
 * results in further shards keep their shop position. (The shopper's own recent items are read
 * too, at most `recentItems` of them, as "for you" reads them.)
 */
export const MAX_SEARCH_SHARDS = 8;

/** Why a result sits where it does: for one the device moved up, the personal term that weighed most; else the shop's own order. */
export const SEARCH_REASONS = {
  profile: RECOMMEND_REASONS.profile,
  boughtNext: RECOMMEND_REASONS.boughtNext,
  boughtTogether: RECOMMEND_REASONS.boughtTogether,
  popular: RECOMMEND_REASONS.popular,
  shopOrder: 'shop-order',
} as const;
export type SearchReason = (typeof SEARCH_REASONS)[keyof typeof SEARCH_REASONS];

/**
 * One search result as the page gets it back: its id and why it sits there. No score (the order
 * is the answer; a fine-grained cosine would tell a page more about the profile than the order
 * needs) and no `because` (which of the shopper's items a neighbour came from).
 */
export interface SearchRankedItem {
  id: string;
  reason: SearchReason;
}

/** What search re-ranking reads of the catalogue: published vectors and signals, and where each id's shard is. */
export type SearchSource = Pick<RecommendSource, 'lookup'> & { shardOf(itemId: string): number };

/** What it knows of the shopper: all of it stays on the device. */
export interface SearchInput {
  /** The profile, when it is in the catalogue's vector space. */
  profile?: ProfileState;
  /** Distinct items the shopper chose, latest first. */
  recent: readonly { id: string }[];
}

export type SearchWeights = { [K in keyof typeof DEFAULT_RECOMMENDER.search]: number };

/** The ids as given when they are an array of at most `MAX_SEARCH_IDS` non-empty strings, else undefined. */
export function searchIds(ids: unknown): string[] | undefined {
  if (!Array.isArray(ids) || ids.length > MAX_SEARCH_IDS) return undefined;
  return ids.every((id) => typeof id === 'string' && id.length > 0) ? [...(ids as string[])] : undefined;
}

const inShopOrder = (ids: readonly string[]): SearchRankedItem[] =>
  ids.map((id) => ({ id, reason: SEARCH_REASONS.shopOrder }));

/**
 * The shop's search results re-ordered on the device: always a permutation of exactly the ids
 * given (the answer reaches every script on the page, so it never adds an id, e.g. a neighbour of
 * the history, nor drops one). Each result scores the shop's order as a prior + the profile's
 * cosines (multi-interest and long-term) with its published vector + its order-log neighbour
 * weight from the shopper's recent items + its popularity. Results the catalogue does not have,
 * sensitive ones (never moved by a profile) and those past the shard bound keep their position;
 * the others fill the remaining positions by score. The shopper's own items are scored like any
 * other result (a page passing viewed ids cannot tell them apart by a reason or a missing term).
 * Without a profile or recent items there is nothing personal to rank by: the shop's order.
 */
export async function searchRank(
  ids: readonly string[],
  input: SearchInput,
  source: SearchSource,
  w: SearchWeights = DEFAULT_RECOMMENDER.search,
): Promise<SearchRankedItem[]> {
  const p = input.profile && input.profile.count > 0 ? input.profile : undefined;
  const recent = input.recent.slice(0, Math.max(0, Math.floor(w.recentItems)));
  if (ids.length === 0 || (!p && recent.length === 0)) return inShopOrder(ids);

  const rw = recencyWeights(recent.length, w.recencyDecay);
  const sources = recent.map((r, i) => ({ id: r.id, weight: rw[i] as number }));
  const sourceHits = await source.lookup(sources.map((s) => s.id));
  const signalsOf = new Map(sources.map((s, i) => [s.id, sourceHits[i]?.signals]));
  // The recent items count as candidates too: a viewed result that is another viewed item's
  // neighbour gets the same term as any other, so a page cannot spot the viewed ones by a
  // missing "bought next".
  const nb = neighbourScores(sources, (id) => signalsOf.get(id), w, true);
  const why = strongestSource(sources, (id) => signalsOf.get(id), w);

  // The first MAX_SEARCH_SHARDS shards in the ids' order: what this call may read.
  const allowed = new Set<number>();
  for (const id of ids) {
    const n = source.shardOf(id);
    if (!allowed.has(n) && allowed.size < MAX_SEARCH_SHARDS) allowed.add(n);
  }
  const scorable = [...new Set(ids)].filter((id) => allowed.has(source.shardOf(id)));
  const hits = new Map((await source.lookup(scorable)).map((hit, i) => [scorable[i] as string, hit]));

  const moving: { at: number; id: string; total: number; reason: SearchReason }[] = [];
  const out: (SearchRankedItem | undefined)[] = ids.map(() => undefined);
  ids.forEach((id, at) => {
    const hit = hits.get(id);
    if (!hit || hit.sensitive) {
      out[at] = { id, reason: SEARCH_REASONS.shopOrder };
      return;
    }
    const multi = p ? Math.max(0, ...p.interests.map((c) => cos(c.vector, hit.vector))) : 0;
    const long = p ? Math.max(0, cos(p.long, hit.vector)) : 0;
    const terms: [SearchReason, number][] = [
      [SEARCH_REASONS.shopOrder, w.shopOrder / Math.log2(at + 2)],
      [SEARCH_REASONS.profile, w.profileMulti * multi + w.profileLong * long],
      [
        why.get(id)?.reason === RECOMMEND_REASONS.boughtTogether
          ? SEARCH_REASONS.boughtTogether
          : SEARCH_REASONS.boughtNext,
        w.neighbours * (nb.get(id) ?? 0),
      ],
      [SEARCH_REASONS.popular, w.popularity * (hit.signals?.popularity ?? 0)],
    ];
    // The personal term that weighs most: the reason of a result the device moved up.
    let best: [SearchReason, number] = [SEARCH_REASONS.shopOrder, 0];
    for (const t of terms.slice(1)) if (t[1] > best[1]) best = t;
    const total = terms.reduce((s, t) => s + t[1], 0);
    // A NaN (a broken vector) ranks nowhere: the result keeps its place.
    if (!Number.isFinite(total)) out[at] = { id, reason: SEARCH_REASONS.shopOrder };
    else moving.push({ at, id, total, reason: best[0] });
  });
  const free = moving.map((m) => m.at);
  moving.sort((a, b) => b.total - a.total || a.at - b.at);
  moving.forEach((m, i) => {
    const to = free[i] as number;
    // Only a move up is the profile's doing; a result at or below its shop place is there as the shop's match.
    out[to] = { id: m.id, reason: to < m.at ? m.reason : SEARCH_REASONS.shopOrder };
  });
  return out as SearchRankedItem[];
}
