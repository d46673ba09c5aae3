import { DEFAULT_DP, type LocalDpOptions, secureUniform } from './local-dp.ts';
import { RISK_UNKNOWN } from './payload.ts';

/**
 * A device's differential-privacy budget for one epoch (e.g. a week), shared by every payload it
 * releases in that epoch: at most `releases` payloads, each spending `epsilon / releases` and
 * `delta / releases` (basic composition), so everything one id sends in an epoch is together
 * (epsilon, delta)-DP with respect to the whole profile. Within a payload, the vectors get
 * `VECTOR_SHARE` of its epsilon (and all of its delta); the risk byte, and in segments mode the
 * segment ids, get the rest through randomized response (pure epsilon-DP).
 */
export interface DpBudget {
  epsilon: number;
  delta: number;
  releases: number;
}

export const DEFAULT_DP_BUDGET: DpBudget = { epsilon: 1, delta: 1e-6, releases: 7 };
const VECTOR_SHARE = 0.8;

/** The budget as the merchant configured it, or a typed reason it cannot be used. */
export function dpBudget(o: Partial<DpBudget>): { ok: true; budget: DpBudget } | { ok: false; reason: string } {
  const b = { ...DEFAULT_DP_BUDGET, ...o };
  if (!(b.epsilon > 0 && b.epsilon <= 10)) return { ok: false, reason: `epsilon ${b.epsilon} is not in (0, 10]` };
  if (!(b.delta > 0 && b.delta < 1e-3)) return { ok: false, reason: `delta ${b.delta} is not in (0, 0.001)` };
  if (!(Number.isInteger(b.releases) && b.releases >= 1 && b.releases <= 100)) {
    return { ok: false, reason: `releases ${b.releases} is not an integer in 1..100` };
  }
  return { ok: true, budget: b };
}

/** What one payload of the epoch spends: the Gaussian mechanism's options, and the randomized-response epsilon. */
export function releaseShare(b: DpBudget, clip = DEFAULT_DP.clip): { vectors: LocalDpOptions; rr: number } {
  const epsilon = b.epsilon / b.releases;
  return {
    vectors: { epsilon: epsilon * VECTOR_SHARE, delta: b.delta / b.releases, clip },
    rr: epsilon * (1 - VECTOR_SHARE),
  };
}

/**
 * k-ary randomized response: the true value with probability e^eps / (e^eps + k - 1), otherwise
 * one of the other k - 1 values uniformly. Any two inputs' outputs differ by at most e^eps.
 */
export function randomizedResponse(value: number, k: number, epsilon: number, uniform = secureUniform): number {
  const keep = Math.exp(epsilon) / (Math.exp(epsilon) + k - 1);
  if (uniform() < keep) return value;
  const other = Math.min(k - 2, Math.floor(uniform() * (k - 1)));
  return other >= value ? other + 1 : other;
}

// The risk byte under DP: four bands (their midpoints) and "unknown", so randomized response
// over five values still carries a usable signal in aggregate.
const RISK_BANDS = [32, 96, 160, 223, RISK_UNKNOWN] as const;
const bandOf = (risk: number) => (risk === RISK_UNKNOWN ? 4 : Math.min(3, Math.floor(risk / 64)));

export function privatizeRisk(risk: number, epsilon: number, uniform = secureUniform): number {
  return RISK_BANDS[randomizedResponse(bandOf(risk), RISK_BANDS.length, epsilon, uniform)] as number;
}

/**
 * Segment membership under DP (unary encoding): each of the `universe` segment bits is kept with
 * probability e^(eps/2u) / (1 + e^(eps/2u)) and flipped otherwise. A different profile may change
 * every bit, so each bit gets 1/u of the epsilon (halved, as one bit change moves two outputs).
 */
export function privatizeSegments(
  members: readonly number[],
  universe: number,
  epsilon: number,
  uniform = secureUniform,
): number[] {
  const perBit = epsilon / (2 * Math.max(1, universe));
  const keep = Math.exp(perBit) / (1 + Math.exp(perBit));
  const set = new Set(members);
  const out: number[] = [];
  for (let id = 0; id < universe; id++) if (set.has(id) === uniform() < keep) out.push(id);
  return out;
}
