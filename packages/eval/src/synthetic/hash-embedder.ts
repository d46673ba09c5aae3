import { fnv1a32, seededRandom } from '@portrait/core';
import type { TextEmbedder } from '../embed/text-embedder.ts';

/**
 * A test stand-in for the encoder: the normalised sum of one seeded random vector per word.
 * Texts sharing words are similar, unrelated texts nearly orthogonal. Instant and deterministic,
 * for tests of the profile math that must not depend on what the real model learned.
 */
export function hashEmbedder(dim = 64): TextEmbedder {
  const wordVector = (w: string) => {
    const rand = seededRandom(fnv1a32(w));
    return Float32Array.from({ length: dim }, () => rand() * 2 - 1);
  };
  return {
    id: `hash-bow-${dim}`,
    dim,
    async embed(texts) {
      return texts.map((t) => {
        const v = new Float32Array(dim);
        for (const w of t
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .filter(Boolean)) {
          const x = wordVector(w);
          for (let i = 0; i < dim; i++) v[i] = (v[i] as number) + (x[i] as number);
        }
        const n = Math.hypot(...v) || 1;
        return v.map((x) => x / n);
      });
    },
    async dispose() {},
  };
}
