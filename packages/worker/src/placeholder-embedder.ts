import { fnv1a32 } from '@portrait/core';
import type { Embedder } from './embedder';

/**
 * PLACEHOLDER until the bundled encoder (model issue) is wired in: feature-hashes lowercase
 * words and word bigrams into a unit vector. It has no notion of meaning; its model id says
 * so, so its vectors can never be mixed with a real model's.
 */
export function placeholderEmbedder(dim = 512): Embedder {
  return {
    modelId: `placeholder-hash-${dim}`,
    dim,
    backend: 'placeholder',
    async embed(texts) {
      return texts.map((t) => {
        const v = new Float32Array(dim);
        const words = t.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        const grams = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
        for (const g of grams) {
          const h = fnv1a32(g);
          v[h % dim] = (v[h % dim] as number) + (h & 0x80000000 ? -1 : 1);
        }
        let n = 0;
        for (const x of v) n += x * x;
        n = Math.sqrt(n) || 1;
        for (let i = 0; i < dim; i++) v[i] = (v[i] as number) / n;
        return v;
      });
    },
  };
}
