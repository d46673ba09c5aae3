import { fitPca, project, seededRandom } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import type { DataEvent } from '../data/types.ts';
import { configSet, paramGrid } from '../recommenders/configs.ts';
import { catalogueOf } from './catalogue.ts';
import type { EvalContext } from './context.ts';
import { Popularity } from './popularity.ts';
import { RECENT_MS, UserFeatures } from './user-features.ts';
import type { Step } from './user-steps.ts';

const DAY = 86_400_000;
const unit = (...x: number[]) => {
  const n = Math.hypot(...x);
  return Float32Array.from(x, (v) => v / n);
};
// Three items: 0 and 1 alike, 2 apart.
const vectors = [unit(1, 0, 0), unit(0.8, 0.6, 0), unit(0, 0, 1)];
const ev = (item: number, ts: number): DataEvent => ({ user: 'x', item, ts, type: 'purchase', seq: ts });

function ctx(events: DataEvent[]): EvalContext {
  return {
    modelId: 'test',
    catalogue: catalogueOf(vectors, 3),
    popularity: new Popularity(events, 3, () => true),
    tiebreak: Float64Array.from([0, 1, 2]),
    configs: configSet([], []),
  };
}

const step = (item: number, ts: number): Step => ({
  ts,
  popTs: ts,
  events: [{ event: { id: `e${ts}`, type: 'purchase', ts }, vector: vectors[item] as Float32Array }],
  eventItems: [item],
  items: [item],
});

describe('UserFeatures (the blends’ per-item features)', () => {
  it('own, repeat and the best cosine to the user’s own items, all 0 before any', () => {
    const u = new UserFeatures(ctx([]));
    let f = u.features(1);
    expect([...(f.get('own') as Float32Array)]).toEqual([0, 0, 0]);
    expect([...(f.get('maxsim') as Float32Array)]).toEqual([0, 0, 0]);
    u.observe(step(0, 10));
    u.observe(step(0, 20));
    f = u.features(30);
    expect([...(f.get('own') as Float32Array)]).toEqual([1, 0, 0]);
    expect(f.get('rep')?.[0]).toBeCloseTo(Math.log1p(2));
    const m = f.get('maxsim') as Float32Array;
    expect(m[0]).toBeCloseTo(1);
    expect(m[1]).toBeCloseTo(0.8);
    expect(m[2]).toBeCloseTo(0);
    u.observe(step(2, 40));
    expect(u.features(50).get('maxsim')?.[2]).toBeCloseTo(1);
  });

  it('recent popularity counts only the 30 days before the prediction', () => {
    const t = 100 * DAY;
    const u = new UserFeatures(ctx([ev(0, t - RECENT_MS - 1), ev(0, t - RECENT_MS - 2), ev(1, t - DAY), ev(2, t)]));
    const f = u.features(t);
    expect([...(f.get('pop30') as Float32Array)]).toEqual([0, 1, 0]);
    expect(f.get('pop')?.[0]).toBe(1);
    expect(f.get('pop')?.[2]).toBe(0);
  });

  it('maxsim (folded at the next prediction) is bit for bit the running max of float32 dot products', () => {
    const dim = 16;
    const rand = seededRandom(3);
    const vs = Array.from({ length: 9 }, () => {
      const v = Float32Array.from({ length: dim }, () => rand() * 2 - 1);
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    });
    const c: EvalContext = { ...ctx([]), catalogue: catalogueOf(vs, dim), tiebreak: new Float64Array(9) };
    const u = new UserFeatures(c);
    const chosen = [4, 1, 4, 7];
    const ref = new Float32Array(9);
    chosen.forEach((item, k) => {
      u.observe({
        ...step(item, 10 + k),
        events: [{ event: { id: `e${k}`, type: 'purchase', ts: 10 + k }, vector: vs[item] as Float32Array }],
      });
      for (let i = 0; i < 9; i++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += (vs[i]?.[d] as number) * (vs[item]?.[d] as number);
        if (k === 0 || dot > (ref[i] as number)) ref[i] = dot;
      }
      // A prediction after some steps only: pending items fold in one batch.
      if (k === 1 || k === 3) expect([...(u.features(100).get('maxsim') as Float32Array)]).toEqual([...ref]);
    });
  });

  it("collector: the server's score of the default profile's payload, 0 before the device has one", () => {
    const basis = fitPca(vectors, 2, 2).basis;
    const c: EvalContext = {
      ...ctx([]),
      configs: configSet(paramGrid(), []),
      compact: { basis, items: vectors.map((v) => project(basis, v)) },
    };
    const u = new UserFeatures(c);
    expect([...(u.features(1).get('collector') as Float32Array)]).toEqual([0, 0, 0]);
    u.observe(step(0, 10));
    const s = u.features(20).get('collector') as Float32Array;
    // A profile of item 0 alone: item 0 scores highest, the item apart lowest.
    expect(s[0]).toBeGreaterThan(s[1] as number);
    expect(s[1]).toBeGreaterThan(s[2] as number);
    expect([...s].every(Number.isFinite)).toBe(true);
  });
});
