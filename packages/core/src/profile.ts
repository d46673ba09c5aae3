import type { EventType, PortraitEvent } from './events';

/** How strongly each event type pulls the profile toward the item; negative pushes away. */
export const EVENT_WEIGHTS = {
  impression: 0.2,
  click: 0.5,
  view: 1,
  search: 0.8,
  add_to_cart: 2,
  remove_from_cart: -0.5,
  begin_checkout: 1,
  purchase: 3,
  custom: 0.5,
} as const satisfies Record<EventType, number>;

export interface ProfileVector {
  /** Model the vector was made with; vectors of different models are never mixed. */
  modelId: string;
  vector: Float32Array;
  /** Events folded in so far. */
  count: number;
  updatedAt: number;
}

/** Weight of one event: its type, lengthened by dwell (up to 2x after about a minute on the page). */
export function eventWeight(event: PortraitEvent): number {
  const base = EVENT_WEIGHTS[event.type];
  if (event.type !== 'view' || !event.dwellMs) return base;
  return base * Math.min(2, 1 + Math.log1p(event.dwellMs / 10_000) / Math.log1p(6));
}

/**
 * P_new = P_old + eta * w * (E - P_old), in place on a copy. The step is clamped to [-0.5, 1]
 * so a large weight cannot overshoot the item and a negative one cannot run away.
 * Returns undefined if the embedding is unusable (wrong size, NaN): the caller keeps the old profile.
 */
export function foldEmbedding(
  profile: ProfileVector,
  embedding: Float32Array,
  eta: number,
  weight: number,
  now: number,
): ProfileVector | undefined {
  if (embedding.length !== profile.vector.length || !isFiniteVector(embedding)) return undefined;
  // Pushing away from an item means nothing before there is a profile to push.
  if (profile.count === 0 && weight <= 0) return profile;
  // The first event sets the profile: there is nothing to average it with yet.
  const step = profile.count === 0 ? 1 : Math.max(-0.5, Math.min(1, eta * weight));
  const out = new Float32Array(profile.vector.length);
  for (let i = 0; i < out.length; i++) {
    const p = profile.vector[i] as number;
    out[i] = p + step * ((embedding[i] as number) - p);
  }
  return { modelId: profile.modelId, vector: out, count: profile.count + 1, updatedAt: now };
}

export function emptyProfile(modelId: string, dim: number): ProfileVector {
  return { modelId, vector: new Float32Array(dim), count: 0, updatedAt: 0 };
}

export function isFiniteVector(v: ArrayLike<number>): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
