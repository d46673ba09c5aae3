import { type Basis, compactVectors, decodeShard, type ProfileState, rankItems } from '@portrait/core';

/** One re-ranked candidate. */
export interface RankedItem {
  id: string;
  score: number;
}

/**
 * Privacy mode: fetch the collector's candidate list (ids and compact vectors only) and rank it
 * here with the full profile, every vector at full dimension. Nothing about the shopper leaves.
 */
export async function rerankCandidates(
  collectorUrl: string,
  profile: ProfileState,
  basis: Basis,
  k: number,
): Promise<RankedItem[]> {
  const res = await fetch(new URL('/v1/candidates', collectorUrl), {
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (!res.ok) throw { code: 'sync/candidates', message: `HTTP ${res.status}` };
  if (Number(res.headers.get('x-basis-version')) !== basis.version) {
    throw { code: 'sync/basis-mismatch', message: 'candidates use another basis than the device' };
  }
  const shard = decodeShard(new Uint8Array(await res.arrayBuffer()));
  if (!shard.ok) throw { code: 'sync/candidates', message: shard.message };
  const full = basis.outDim;
  const vectors = compactVectors(profile, basis, { longDim: full, shortDim: full, centroids: 3, centroidDim: full });
  const items = [...shard.vectors].map(([id, vector]) => ({ id, vector }));
  return rankItems(vectors, items, k).map((r) => ({ id: r.id, score: r.score }));
}

/** One server-side recommendation (collector mode). */
export interface Recommendation {
  id: string;
  title: string;
  score: number;
}

/**
 * Collector mode: the collector ranks its catalogue against the compact vector it stores for
 * this device. The token proves the id is ours; it travels in a header, never in the URL's log.
 */
export async function serverRecommendations(
  collectorUrl: string,
  pseudoId: string,
  token: string,
  k: number,
): Promise<Recommendation[]> {
  const url = new URL('/v1/recommendations', collectorUrl);
  url.searchParams.set('id', pseudoId);
  url.searchParams.set('k', String(k));
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  if (!res.ok) throw { code: 'sync/recommendations', message: `HTTP ${res.status}` };
  return ((await res.json()) as { items: Recommendation[] }).items;
}
