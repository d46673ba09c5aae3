import { type Interest, MAX_INTERESTS, type ProfileState } from './profile.ts';
import { isFiniteVector, norm } from './vector.ts';

// Float32 rounding can leave a mean of unit vectors a hair above norm 1.
const NORM_SLACK = 1e-4;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const nonNegative = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function saneVector(v: unknown, dim: number): v is Float32Array {
  return v instanceof Float32Array && v.length === dim && isFiniteVector(v) && norm(v) <= 1 + NORM_SLACK;
}

function saneInterest(c: unknown, dim: number): c is Interest {
  return (
    isObject(c) &&
    saneVector(c.vector, dim) &&
    nonNegative(c.weight) &&
    nonNegative(c.count) &&
    Number.isInteger(c.count) &&
    finite(c.updatedAt)
  );
}

/**
 * Checks a profile read back from storage (or built by `updateProfile`): the right shape, every
 * vector of the stated dimension, finite, norm <= 1, every number finite and weights >= 0.
 * A stored state that fails (an older format, a corrupted write) should be rebuilt, not folded into.
 */
export function isProfileState(x: unknown): x is ProfileState {
  if (!isObject(x) || x.version !== 1 || typeof x.modelId !== 'string') return false;
  const dim = x.dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1) return false;
  return (
    saneVector(x.long, dim) &&
    saneVector(x.short, dim) &&
    nonNegative(x.longWeight) &&
    nonNegative(x.shortWeight) &&
    nonNegative(x.count) &&
    Number.isInteger(x.count) &&
    finite(x.updatedAt) &&
    finite(x.firstAt) &&
    Array.isArray(x.interests) &&
    x.interests.length <= MAX_INTERESTS &&
    x.interests.every((c) => saneInterest(c, dim))
  );
}
