import type { Embedder } from '../model/embedder.ts';
import type { Store } from '../store/types.ts';
import type { Catalogue } from './catalogue-source.ts';

export interface EmbedRequest {
  text: string;
  /** Set for product events: the catalogue vector file is keyed by item id. */
  itemId?: string;
}

export interface EmbedStats {
  catalogue: number;
  cache: number;
  model: number;
}

/** One model's vector space: what a profile and every vector folded into it share. */
export interface VectorSpace {
  modelId: string;
  dim: number;
}

/** A request's vector, where it came from, and (catalogue hits) the import's sensitive flag. */
export interface Embedded {
  vector: Float32Array;
  from: 'catalogue' | 'cache' | 'model';
  sensitive?: boolean;
}

const MICRO_BATCH = 32;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Embeds texts the cheapest way first: the merchant's catalogue vectors (computed server-side with
 * the same model), then the device's embedding cache, and the model only for what neither has.
 * Without a model, what neither has comes back undefined (those events wait for the model), as do
 * empty texts, which have nothing to embed.
 */
export async function embedAll(
  requests: EmbedRequest[],
  space: VectorSpace,
  embedder: Embedder | undefined,
  store: Store<{ modelId: string }>,
  catalogue: Catalogue | undefined,
  now: number,
): Promise<{ embedded: (Embedded | undefined)[]; stats: EmbedStats }> {
  const stats: EmbedStats = { catalogue: 0, cache: 0, model: 0 };
  const out: (Embedded | undefined)[] = new Array(requests.length);

  const withItem = requests.flatMap((r, i) => (r.itemId ? [i] : []));
  if (catalogue && withItem.length) {
    const found = await catalogue.lookup(withItem.map((i) => requests[i]?.itemId as string));
    withItem.forEach((i, k) => {
      const hit = found[k];
      if (hit?.vector.length === space.dim) {
        out[i] = { vector: hit.vector, from: 'catalogue', sensitive: hit.sensitive };
        stats.catalogue++;
      }
    });
  }

  const rest = requests.flatMap((r, i) => (out[i] || !r.text ? [] : [i]));
  const keys = await Promise.all(rest.map(async (i) => `${space.modelId}|${await sha256(requests[i]?.text ?? '')}`));
  const cached = await store.getEmbeddings(keys, now);
  const misses: number[] = [];
  rest.forEach((i, k) => {
    const v = cached[k];
    if (v) {
      out[i] = { vector: v, from: 'cache' };
      stats.cache++;
    } else misses.push(i);
  });

  if (embedder) {
    // Duplicate texts in one batch are embedded once; sorting by length keeps each micro-batch's
    // padding (to its longest text) small.
    const unique = [...new Set(misses.map((i) => requests[i]?.text ?? ''))].sort((a, b) => a.length - b.length);
    const fresh = new Map<string, Float32Array>();
    for (let o = 0; o < unique.length; o += MICRO_BATCH) {
      const batch = unique.slice(o, o + MICRO_BATCH);
      const vectors = await embedder.embed(batch);
      batch.forEach((t, k) => {
        const v = vectors[k];
        if (v) fresh.set(t, v);
      });
    }
    stats.model = fresh.size;
    const toCache: [string, Float32Array][] = [];
    const keyOf = new Map(rest.map((i, k) => [i, keys[k] as string]));
    for (const i of misses) {
      const v = fresh.get(requests[i]?.text ?? '');
      if (!v) continue;
      out[i] = { vector: v, from: 'model' };
      toCache.push([keyOf.get(i) as string, v]);
    }
    if (toCache.length) await store.putEmbeddings(toCache, now);
  }
  return { embedded: out, stats };
}
