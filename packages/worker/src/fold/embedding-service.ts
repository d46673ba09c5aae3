import type { Embedder } from '../model/embedder';
import type { Store } from '../store/types';

/** Where an item's vector may already exist before the model has to run. */
export interface VectorSource {
  lookup(itemIds: string[]): Promise<(Float32Array | undefined)[]>;
}

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

const MICRO_BATCH = 32;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest).subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Embeds texts the cheapest way first: the merchant's catalogue vectors (computed server-side with
 * the same model), then the device's embedding cache, and the model only for what neither has.
 */
export async function embedAll(
  requests: EmbedRequest[],
  embedder: Embedder,
  store: Store<{ modelId: string }>,
  catalogue: VectorSource | undefined,
  now: number,
): Promise<{ vectors: Float32Array[]; stats: EmbedStats }> {
  const stats: EmbedStats = { catalogue: 0, cache: 0, model: 0 };
  const out: (Float32Array | undefined)[] = new Array(requests.length);

  const withItem = requests.flatMap((r, i) => (r.itemId ? [i] : []));
  if (catalogue && withItem.length) {
    const found = await catalogue.lookup(withItem.map((i) => requests[i]?.itemId as string));
    withItem.forEach((i, k) => {
      const v = found[k];
      if (v?.length === embedder.dim) {
        out[i] = v;
        stats.catalogue++;
      }
    });
  }

  // Empty texts have nothing to embed; they come back as zero vectors, which the profile ignores.
  const rest = requests.flatMap((r, i) => (out[i] || !r.text ? [] : [i]));
  const keys = await Promise.all(rest.map(async (i) => `${embedder.modelId}|${await sha256(requests[i]?.text ?? '')}`));
  const cached = await store.getEmbeddings(keys, now);
  const misses: number[] = [];
  rest.forEach((i, k) => {
    const v = cached[k];
    if (v) {
      out[i] = v;
      stats.cache++;
    } else misses.push(i);
  });

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
    out[i] = v;
    if (v) toCache.push([keyOf.get(i) as string, v]);
  }
  if (toCache.length) await store.putEmbeddings(toCache, now);
  return { vectors: out.map((v) => v ?? new Float32Array(embedder.dim)), stats };
}
