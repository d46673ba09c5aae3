import { eventWeight } from './event-weight.ts';
import type { PortraitEvent } from './events.ts';
import { foldInterests } from './interests.ts';
import { createProfile, DEFAULT_PROFILE_PARAMS, type ProfileParams, type ProfileState } from './profile.ts';
import { isProfileState } from './profile-guard.ts';
import { clamp01, decay, MAX_ACCUMULATED_WEIGHT, negativeStep, positiveStep } from './step.ts';
import { cosine, moveToward, norm, unit } from './vector.ts';

/** An event with the embedding of its text, as `replayProfile` folds them. */
export interface EmbeddedEvent {
  event: PortraitEvent;
  vector: Float32Array;
}

// How far recent behaviour has moved from the long-term vector: 0 while cos(short, long) stays at
// or above `steadySimilarity` (ordinary browsing within one's interests), rising linearly to 1 at
// `shiftSimilarity`. It raises the long-term floor, so a real change of interests is learned in
// tens of events, not in `1/longFloor`.
function shiftOf(short: Float32Array, long: Float32Array, params: ProfileParams): number {
  if (norm(long) === 0) return 0;
  const span = params.steadySimilarity - params.shiftSimilarity;
  const c = cosine(short, long);
  if (!(span > 0)) return c < params.shiftSimilarity ? 1 : 0;
  return clamp01((params.steadySimilarity - c) / span);
}

/**
 * Folds one embedded event into the profile: P <- P + eta_t * w(e) * (E - P) for the long-term
 * vector, the short-term vector and the nearest interest centroid. Pure: `state` is never
 * mutated. Returns undefined (the caller keeps the old profile) when the embedding is unusable
 * (wrong dimension, NaN/Infinity, zero vector) or the result would not be finite.
 * The embedding is normalised first, so every vector in the state keeps norm <= 1.
 */
export function updateProfile(
  state: ProfileState,
  embedding: Float32Array,
  event: PortraitEvent,
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): ProfileState | undefined {
  if (state.dim === 0 || embedding.length !== state.dim) return undefined;
  const e = unit(embedding);
  if (!e) return undefined;
  const w = eventWeight(event);
  if (!Number.isFinite(w)) return undefined;
  // A missing or impossible timestamp (parseEvent rejects them; a caller may not have used it) means "now" as far as
  // the profile knows: no gap, no negative age.
  const ts = Number.isFinite(event.ts) && event.ts > 0 ? event.ts : state.updatedAt;
  // Clock skew or out-of-order delivery: an event older than the last one gets no gap, never a negative age.
  const gap = state.count === 0 ? 0 : Math.max(0, ts - state.updatedAt);

  // Time away shrinks the accumulated weights, so the first events after a break weigh more.
  let longWeight = decay(state.longWeight, gap, params.longHalfLifeMs);
  let shortWeight = decay(state.shortWeight, gap, params.shortHalfLifeMs);
  const decayed = state.interests.map((c) => ({ ...c, weight: decay(c.weight, gap, params.interestHalfLifeMs) }));

  let { long, short } = state;
  if (w > 0) {
    short = moveToward(short, e, positiveStep(w, shortWeight, params.shortFloor));
    shortWeight = Math.min(MAX_ACCUMULATED_WEIGHT, shortWeight + w);
    const shift = shiftOf(short, long, params);
    const floor = params.longFloor + Math.max(0, params.shiftFloor - params.longFloor) * shift;
    long = moveToward(long, e, positiveStep(w, longWeight, floor));
    longWeight = Math.min(MAX_ACCUMULATED_WEIGHT, longWeight + w);
  } else if (w < 0) {
    // Pushing away means nothing before there is a profile to push.
    if (norm(short) > 0) short = moveToward(short, e, negativeStep(w, params.shortFloor, params.maxNegativeStep));
    if (norm(long) > 0) long = moveToward(long, e, negativeStep(w, params.longFloor, params.maxNegativeStep));
  }

  const next: ProfileState = {
    version: 1,
    modelId: state.modelId,
    dim: state.dim,
    long: long === state.long ? Float32Array.from(long) : long,
    longWeight,
    short: short === state.short ? Float32Array.from(short) : short,
    shortWeight,
    interests: foldInterests(decayed, e, w, ts, params),
    count: state.count + 1,
    updatedAt: state.count === 0 ? ts : Math.max(state.updatedAt, ts),
    firstAt: state.count === 0 ? ts : Math.min(state.firstAt, ts),
  };
  // The last line of defence: a state that fails the guard is never returned, whatever went wrong above.
  return isProfileState(next) ? next : undefined;
}

/**
 * Builds a profile from scratch by folding events in timestamp order (stable for equal ts).
 * Used after forgetItem/forgetSince and when the model changes. Unusable embeddings are skipped.
 */
export function replayProfile(
  modelId: string,
  dim: number,
  events: readonly EmbeddedEvent[],
  params: ProfileParams = DEFAULT_PROFILE_PARAMS,
): ProfileState {
  const ordered = events
    .map((x, i) => ({ x, i }))
    // NaN differences (missing or infinite ts) fall back to input order.
    .sort((a, b) => a.x.event.ts - b.x.event.ts || a.i - b.i);
  let state = createProfile(modelId, dim);
  for (const { x } of ordered) state = updateProfile(state, x.vector, x.event, params) ?? state;
  return state;
}
