// Step sizes shared by the long-term, short-term and centroid updates.

// Accumulated weights are capped so a years-long profile can never overflow to Infinity.
export const MAX_ACCUMULATED_WEIGHT = 1e6;

// Step toward an item for weight w > 0: the weighted running mean w / (acc + w) (1 for the first
// event; the weighted form of 1/(n+1)) while the profile is young, then never below the floor.
// The floor is compounded, 1 - (1 - floor)^w, so a weight-5 purchase counts like five views and
// the step stays below 1 however large w is: one event can never replace a warm profile.
export function positiveStep(w: number, acc: number, floor: number): number {
  const mean = w / (Math.max(0, acc) + w);
  const floored = 1 - (1 - clamp01(floor)) ** w;
  const s = Math.max(mean, floored);
  return Number.isFinite(s) ? clamp01(s) : 0;
}

// Step away from an item for weight w < 0: floor-sized and bounded by `max`; returned as a negative number.
export function negativeStep(w: number, floor: number, max: number): number {
  const s = Math.min(clamp01(max), 1 - (1 - clamp01(floor)) ** -w);
  return Number.isFinite(s) ? -s : 0;
}

// Exponential decay over a gap; negative gaps (clock skew) count as no time at all.
export function decay(value: number, gapMs: number, halfLifeMs: number): number {
  if (!(gapMs > 0) || !(halfLifeMs > 0)) return value;
  const v = value * 0.5 ** (gapMs / halfLifeMs);
  return Number.isFinite(v) ? v : 0;
}

export function clamp01(x: number): number {
  // NaN fails `x > 0` and becomes 0.
  return x > 0 ? Math.min(x, 1) : 0;
}
