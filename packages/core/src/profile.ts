/** One interest centroid: a direction the shopper keeps coming back to. */
export interface Interest {
  /** Norm <= 1 (a weighted mean of unit embeddings, pushed away by negative feedback). */
  vector: Float32Array;
  /** Recency-decayed sum of positive event weights assigned to it; >= 0. */
  weight: number;
  /** Events assigned to it (merges add counts). */
  count: number;
  /** ts of the last event assigned to it. */
  updatedAt: number;
}

/**
 * The on-device profile. Plain, structured-clone friendly data (stored in IndexedDB as is).
 * Every number is finite and every vector has norm <= 1: `updateProfile` guarantees it.
 */
export interface ProfileState {
  version: 1;
  /** Model the vectors were made with; vectors of different models are never mixed. */
  modelId: string;
  dim: number;
  /** Long-term vector: a weighted running mean with a small step floor. */
  long: Float32Array;
  /** Decayed accumulated weight behind `long` (sets its adaptive step). */
  longWeight: number;
  /** Short-term vector: a large step floor and a fast decay between sessions. */
  short: Float32Array;
  shortWeight: number;
  /** Up to `maxInterests` centroids. */
  interests: Interest[];
  /** Events folded so far. */
  count: number;
  /** ts of the latest folded event (never moves backwards). */
  updatedAt: number;
  /** ts of the earliest folded event; 0 for an empty profile. */
  firstAt: number;
}

/** Tuning of `updateProfile`. */
export interface ProfileParams {
  /** Step floor of the long-term vector, per unit of weight: ~ the last 1/floor views. */
  longFloor: number;
  /** Step floor the long-term vector rises to when behaviour has shifted. */
  shiftFloor: number;
  /** cos(short, long) at or above which behaviour counts as steady: the floor stays at `longFloor`. */
  steadySimilarity: number;
  /** cos(short, long) at or below which behaviour counts as shifted: the floor is `shiftFloor` (linear in between). */
  shiftSimilarity: number;
  /** Half-life of the long-term accumulated weight between events, ms. */
  longHalfLifeMs: number;
  /** Step floor of the short-term vector. */
  shortFloor: number;
  /** Half-life of the short-term accumulated weight, ms: a new session mostly restarts it. */
  shortHalfLifeMs: number;
  /** Largest push-away step of one negative event (long, short and centroid alike). */
  maxNegativeStep: number;
  /** K: the most interest centroids kept. */
  maxInterests: number;
  /** Best centroid cosine below which an event starts a new interest. */
  newInterestSimilarity: number;
  /** Two centroids at least this similar are merged. */
  mergeSimilarity: number;
  /** Step floor of a centroid. */
  interestFloor: number;
  /** Share of every centroid's weight forgotten per positive event, so recent interests lead. */
  interestForgetPerEvent: number;
  /** Half-life of centroid weights between events, ms. */
  interestHalfLifeMs: number;
}

/** Most interest centroids a profile may hold, whatever `maxInterests` says (bounds storage and work). */
export const MAX_INTERESTS = 64;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Defaults, chosen for a shop session of tens of events and a user who returns over weeks:
 * - longFloor 0.02: once warm, the long-term vector averages roughly the last 50 views
 *   (a purchase, weight 5, counts like ~5 of them); a weighted running mean before that
 *   (the first event sets it; eta = w / (W + w), the weighted form of 1/(n+1)).
 * - shiftFloor 0.1, steadySimilarity 0.7, shiftSimilarity 0.3: when the last few events point
 *   elsewhere than the long-term vector (cosine falling from 0.7 to 0.3), the floor rises toward
 *   0.1, so it catches up in ~10-20 events instead of ~50; ordinary browsing leaves it at 0.02.
 * - longHalfLifeMs 7 days: after a week away the accumulated weight halves, so new behaviour
 *   weighs more; the floor keeps that from ever making the vector frozen or jumpy.
 * - shortFloor 0.3, shortHalfLifeMs 30 min: the short-term vector follows the last ~3 events and
 *   a new session (the usual 30-minute gap) nearly restarts it.
 * - maxNegativeStep 0.1: a remove_from_cart or a 1-star review nudges away, never erases.
 * - K = 4 centroids; new interest below cosine 0.5 to every centroid, merge above 0.85: sentence
 *   encoders put same-category products at ~0.6-0.9 and unrelated ones at ~0.0-0.4. Calibrate
 *   with the real encoder.
 * - interestForgetPerEvent 0.03: a centroid's weight halves after ~23 events elsewhere, so
 *   `explain` follows a switch from sports to kitchen within one session.
 */
export const DEFAULT_PROFILE_PARAMS = {
  longFloor: 0.02,
  shiftFloor: 0.1,
  steadySimilarity: 0.7,
  shiftSimilarity: 0.3,
  longHalfLifeMs: 7 * DAY,
  shortFloor: 0.3,
  shortHalfLifeMs: 0.5 * HOUR,
  maxNegativeStep: 0.1,
  maxInterests: 4,
  newInterestSimilarity: 0.5,
  mergeSimilarity: 0.85,
  interestFloor: 0.05,
  interestForgetPerEvent: 0.03,
  interestHalfLifeMs: 30 * DAY,
} as const satisfies ProfileParams;

/** An empty profile: zero vectors, no interests, nothing counted. */
export function createProfile(modelId: string, dim: number): ProfileState {
  const d = Number.isInteger(dim) && dim > 0 ? dim : 0;
  return {
    version: 1,
    modelId,
    dim: d,
    long: new Float32Array(d),
    longWeight: 0,
    short: new Float32Array(d),
    shortWeight: 0,
    interests: [],
    count: 0,
    updatedAt: 0,
    firstAt: 0,
  };
}
