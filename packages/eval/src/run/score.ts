import type { ScorerConfig } from '../recommenders/configs.ts';

/**
 * A scorer's item scores: its weighted sum of features, written into `out`. Each item's sum is
 * rounded to float32 after every term, in term order, as a running sum in `out` would be; the
 * first term is written instead of added to zeros (the same value; `0 + x` keeps a -0 from a
 * negative weight times 0 out of the scores).
 */
export function scoreInto(scorer: ScorerConfig, features: ReadonlyMap<string, Float32Array>, out: Float32Array): void {
  const n = out.length;
  if (scorer.terms.length === 0) {
    out.fill(0);
    return;
  }
  scorer.terms.forEach(([key, w], t) => {
    const f = features.get(key);
    if (!f) throw new Error(`scorer ${scorer.name} needs feature ${key}`);
    if (t === 0) for (let i = 0; i < n; i++) out[i] = 0 + w * (f[i] as number);
    else for (let i = 0; i < n; i++) out[i] = (out[i] as number) + w * (f[i] as number);
  });
}
