import { createProfile, eventWeight, type ProfileParams, type ProfileState, updateProfile } from '@portrait/core';
import type { Step } from '../run/user-steps.ts';

/** A vector feature: each item's best cosine to any of `vectors` (none: 0 for every item). */
export interface VectorFeature {
  key: string;
  vectors: Float32Array[];
}

/** Per-user state a configuration reads its query vectors from; fed one step at a time, in time order. */
export interface Tracker {
  observe(step: Step): void;
  features(): VectorFeature[];
}

/** Mean of the last step's item vectors: the "what did they just buy" baseline. */
export function lastStepTracker(): Tracker {
  let last: Float32Array | undefined;
  return {
    observe(step) {
      if (step.events.length === 0) return;
      const dim = step.events[0]?.vector.length ?? 0;
      const m = new Float32Array(dim);
      for (const { vector } of step.events)
        for (let k = 0; k < dim; k++) m[k] = (m[k] as number) + (vector[k] as number);
      last = m;
    },
    features: () => [{ key: 'last', vectors: last ? [last] : [] }],
  };
}

/**
 * The seed's update, P <- P + eta * w(e) * (E - P) from a zero vector, with the engine's event
 * weights; `eta = 'mean'` is the plain running mean (eta = 1/n, weights ignored).
 */
export function fixedEtaTracker(key: string, eta: number | 'mean'): Tracker {
  let p: Float32Array | undefined;
  let n = 0;
  return {
    observe(step) {
      for (const { event, vector } of step.events) {
        p ??= new Float32Array(vector.length);
        n++;
        const step = eta === 'mean' ? 1 / n : Math.min(1, eta * eventWeight(event));
        for (let k = 0; k < p.length; k++) p[k] = (p[k] as number) + step * ((vector[k] as number) - (p[k] as number));
      }
    },
    features: () => [{ key, vectors: p ? [p] : [] }],
  };
}

/** The real engine: every event through `@portrait/core`'s `updateProfile` with these params, as the worker folds it. */
export function portraitTracker(
  key: string,
  modelId: string,
  dim: number,
  params: ProfileParams,
): Tracker & {
  state(): ProfileState;
} {
  let state = createProfile(modelId, dim);
  return {
    observe(step) {
      for (const { event, vector } of step.events) state = updateProfile(state, vector, event, params) ?? state;
    },
    features: () => [
      { key: `${key}:long`, vectors: state.count > 0 ? [state.long] : [] },
      { key: `${key}:short`, vectors: state.count > 0 ? [state.short] : [] },
      { key: `${key}:multi`, vectors: state.interests.map((c) => c.vector) },
    ],
    state: () => state,
  };
}
