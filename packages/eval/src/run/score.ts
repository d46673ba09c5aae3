import type { ScorerConfig } from '../recommenders/configs.ts';

/** A scorer's item scores: its weighted sum of features, written into `out`. */
export function scoreInto(scorer: ScorerConfig, features: ReadonlyMap<string, Float32Array>, out: Float32Array): void {
  out.fill(0);
  for (const [key, w] of scorer.terms) {
    const f = features.get(key);
    if (!f) throw new Error(`scorer ${scorer.name} needs feature ${key}`);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + w * (f[i] as number);
  }
}
