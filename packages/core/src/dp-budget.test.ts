import { describe, expect, it } from 'vitest';
import { dpBudget, privatizeRisk, privatizeSegments, randomizedResponse, releaseShare } from './dp-budget.ts';
import { RISK_UNKNOWN } from './payload.ts';
import { rng } from './test-helpers.ts';

describe('dp budget', () => {
  it('splits an epoch budget evenly over its releases, vectors taking most of each', () => {
    const r = dpBudget({ epsilon: 2, releases: 4 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const share = releaseShare(r.budget);
    // Basic composition: the releases of an epoch add up to the budget, no more.
    expect((share.vectors.epsilon + share.rr) * r.budget.releases).toBeCloseTo(2, 10);
    expect(share.vectors.delta * r.budget.releases).toBeCloseTo(r.budget.delta, 15);
  });

  it('refuses budgets that promise nothing or cannot hold', () => {
    for (const bad of [
      { epsilon: 0 },
      { epsilon: Number.NaN },
      { epsilon: 50 },
      { delta: 0.5 },
      { releases: 0 },
      { releases: 1.5 },
    ]) {
      expect(dpBudget(bad).ok).toBe(false);
    }
  });

  it('randomized response keeps the true value at the rate its epsilon allows, never beyond e^eps', () => {
    const u = rng(3);
    const k = 5;
    const eps = 1;
    const counts = new Array(k).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[randomizedResponse(2, k, eps, u)]++;
    const keep = Math.exp(eps) / (Math.exp(eps) + k - 1);
    expect(counts[2] / n).toBeCloseTo(keep, 2);
    // The ratio of any output's probability under two inputs is bounded by e^eps.
    const other = (1 - keep) / (k - 1);
    for (let v = 0; v < k; v++) if (v !== 2) expect(counts[v] / n).toBeCloseTo(other, 2);
    expect(keep / other).toBeCloseTo(Math.exp(eps), 6);
  });

  it('the risk byte becomes one of five bands; segments one noisy bit each', () => {
    const u = rng(9);
    for (let i = 0; i < 200; i++) expect([32, 96, 160, 223, RISK_UNKNOWN]).toContain(privatizeRisk(200, 0.2, u));
    // A generous epsilon keeps membership; the output only ever names segments of the universe.
    const out = privatizeSegments([1, 3], 4, 200, u);
    expect(out).toEqual([1, 3]);
    const noisy = privatizeSegments([1], 8, 0.01, u);
    expect(noisy.every((id) => id >= 0 && id < 8)).toBe(true);
  });
});
