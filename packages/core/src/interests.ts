import { type Interest, MAX_INTERESTS, type ProfileParams } from './profile.ts';
import { clamp01, MAX_ACCUMULATED_WEIGHT, negativeStep, positiveStep } from './step.ts';
import { blend, cosine, moveToward } from './vector.ts';

function nearest(interests: readonly Interest[], e: Float32Array): { index: number; similarity: number } | undefined {
  let best: { index: number; similarity: number } | undefined;
  interests.forEach((c, index) => {
    const similarity = cosine(c.vector, e);
    if (!best || similarity > best.similarity) best = { index, similarity };
  });
  return best;
}

function closestPair(interests: readonly Interest[]): { i: number; j: number; similarity: number } | undefined {
  let best: { i: number; j: number; similarity: number } | undefined;
  for (let i = 0; i < interests.length; i++) {
    for (let j = i + 1; j < interests.length; j++) {
      const similarity = cosine((interests[i] as Interest).vector, (interests[j] as Interest).vector);
      if (!best || similarity > best.similarity) best = { i, j, similarity };
    }
  }
  return best;
}

// Two centroids become their weight-weighted mean; weights and counts add up.
export function mergeInterests(a: Interest, b: Interest): Interest {
  return {
    vector: blend(a.vector, a.weight, b.vector, b.weight),
    weight: Math.min(MAX_ACCUMULATED_WEIGHT, a.weight + b.weight),
    count: a.count + b.count,
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
  };
}

function mergePair(list: Interest[], i: number, j: number): void {
  list[i] = mergeInterests(list[i] as Interest, list[j] as Interest);
  list.splice(j, 1);
}

// Merges while any two centroids are at least `mergeSimilarity` alike (they describe one interest).
function mergeSimilar(list: Interest[], params: ProfileParams): void {
  for (;;) {
    const pair = closestPair(list);
    if (!pair || pair.similarity < params.mergeSimilarity) return;
    mergePair(list, pair.i, pair.j);
  }
}

// Folds one unit embedding of weight w into the centroids (pure; returns a new list).
// w > 0: every centroid forgets a little, then the event joins the nearest centroid, or starts a
// new one when nothing is similar enough (merging the closest pair first when K are in use).
// w < 0: the nearest centroid it resembles is pushed away and loses weight. Never creates one.
export function foldInterests(
  interests: readonly Interest[],
  e: Float32Array,
  w: number,
  ts: number,
  params: ProfileParams,
): Interest[] {
  const maxK = Math.min(MAX_INTERESTS, Math.max(1, Math.floor(params.maxInterests) || 1));
  const list = interests.map((c) => ({ ...c }));
  if (w > 0) {
    const keep = 1 - clamp01(params.interestForgetPerEvent);
    for (const c of list) c.weight *= keep;
    let best = nearest(list, e);
    if (!best || best.similarity < params.newInterestSimilarity) {
      if (list.length >= maxK && list.length >= 2) {
        // Full and a distinct interest appears: make room by merging the two most alike.
        const pair = closestPair(list) as { i: number; j: number };
        mergePair(list, pair.i, pair.j);
      }
      if (list.length < maxK) {
        list.push({
          vector: Float32Array.from(e),
          weight: Math.min(MAX_ACCUMULATED_WEIGHT, w),
          count: 1,
          updatedAt: ts,
        });
        best = undefined;
      } else best = nearest(list, e);
    }
    if (best) {
      const c = list[best.index] as Interest;
      const step = positiveStep(w, c.weight, params.interestFloor);
      list[best.index] = {
        vector: moveToward(c.vector, e, step),
        weight: Math.min(MAX_ACCUMULATED_WEIGHT, c.weight + w),
        count: c.count + 1,
        updatedAt: Math.max(c.updatedAt, ts),
      };
    }
  } else if (w < 0) {
    const best = nearest(list, e);
    if (best && best.similarity > 0) {
      const c = list[best.index] as Interest;
      const step = negativeStep(w, params.interestFloor, params.maxNegativeStep);
      list[best.index] = {
        vector: moveToward(c.vector, e, step),
        weight: c.weight * (1 + step),
        count: c.count,
        updatedAt: Math.max(c.updatedAt, ts),
      };
    }
  }
  mergeSimilar(list, params);
  return list;
}
