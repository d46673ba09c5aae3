import type { ProfileState } from './profile.ts';
import { type Basis, project } from './reduce.ts';
import { cosine } from './vector.ts';

/** Which vectors a payload carries, and how many PCA components each keeps. */
export interface PayloadLayout {
  /** Components of the long-term vector (the basis's outDim at most). */
  longDim: number;
  /** Components of the short-term vector; 0 leaves it out (and any centroids). */
  shortDim: number;
  /** Top interest centroids (by weight) sent; each `centroidDim` components. */
  centroids: number;
  centroidDim: number;
}

/** 127 bytes: long 64, short 8, top centroid 8 (see payload.ts). */
export const DEFAULT_LAYOUT: PayloadLayout = { longDim: 64, shortDim: 8, centroids: 1, centroidDim: 8 };

/**
 * The profile in the compact space, in payload order: long-term, short-term, top centroids,
 * each cut to its prefix of components. Centroids need a short-term vector before them.
 */
export function compactVectors(profile: ProfileState, basis: Basis, layout: PayloadLayout): Float32Array[] {
  const cut = (v: Float32Array, d: number) => project(basis, v).slice(0, Math.min(d, basis.outDim));
  const out = [cut(profile.long, layout.longDim)];
  if (layout.shortDim > 0) {
    out.push(cut(profile.short, layout.shortDim));
    const top = [...profile.interests].sort((a, b) => b.weight - a.weight).slice(0, layout.centroids);
    if (layout.centroidDim > 0) for (const c of top) out.push(cut(c.vector, layout.centroidDim));
  }
  return out;
}

/**
 * Similarity of an item (its compact vector) to a compact profile: cosine with the long-term
 * vector, plus a quarter of the cosine with each further vector on that vector's prefix, so
 * the current session and the top interest nudge but do not override the long-term taste.
 */
export function compactScore(profile: readonly Float32Array[], item: Float32Array): number {
  let score = 0;
  profile.forEach((v, i) => {
    const d = Math.min(v.length, item.length);
    score += (i === 0 ? 1 : 0.25) * cosine(v.subarray(0, d), item.subarray(0, d));
  });
  return score;
}

/**
 * Ranks items by `compactScore`, best first; ties keep input order. One pass per item with no
 * allocation and a k-long insertion list: a 3,659-item catalogue ranks in well under a millisecond.
 */
export function rankItems<T extends { vector: Float32Array }>(
  profile: readonly Float32Array[],
  items: readonly T[],
  k: number,
): (T & { score: number })[] {
  const queries = profile.map((v, i) => ({ v, w: i === 0 ? 1 : 0.25 }));
  const top: { i: number; score: number }[] = [];
  for (let j = 0; j < items.length; j++) {
    const x = (items[j] as T).vector;
    let score = 0;
    for (const q of queries) {
      const d = Math.min(q.v.length, x.length);
      let dot = 0;
      let nx = 0;
      let nq = 0;
      for (let i = 0; i < d; i++) {
        const xi = x[i] as number;
        const qi = q.v[i] as number;
        dot += xi * qi;
        nx += xi * xi;
        nq += qi * qi;
      }
      const c = dot / Math.sqrt(nx * nq);
      if (Number.isFinite(c)) score += q.w * c;
    }
    if (top.length < k || score > (top.at(-1) as { score: number }).score) {
      let at = top.length;
      while (at > 0 && (top[at - 1] as { score: number }).score < score) at--;
      top.splice(at, 0, { i: j, score });
      if (top.length > k) top.pop();
    }
  }
  return top.map(({ i, score }) => ({ ...(items[i] as T), score }));
}
