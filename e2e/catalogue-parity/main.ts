import { itemText, type Logger, type ProductInfo } from '@portrait/core';
import { loadEncoder } from '@portrait/model';
// The worker's own catalogue reader (manifest, shard by item-id hash, decodeShard), not a copy of it.
import { catalogueSource } from '../../packages/worker/src/fold/catalogue-source.ts';

/** One item: the vector its shard holds against the one this browser computes for its text. */
export interface ParityRow {
  id: string;
  text: string;
  /** Undefined when the collector's shards do not hold the item. */
  cosine: number | undefined;
}

declare global {
  interface Window {
    /** Reads each product's shard vector from the collector and embeds its text here on WASM. */
    parity(collectorUrl: string, products: ProductInfo[]): Promise<{ device: string; rows: ParityRow[] }>;
  }
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

window.parity = async (collectorUrl, products) => {
  const catalogue = await catalogueSource(`${collectorUrl}/v1/catalogue-vectors/`, 'use-lite', silent);
  if (!catalogue) throw new Error(`no catalogue vectors at ${collectorUrl}`);
  const hits = await catalogue.lookup(products.map((p) => p.id));
  // As the worker loads it on a device without WebGPU: int8, WASM, the direct WASM-only runtime.
  const encoder = await loadEncoder({ baseUrl: '/models/', modelId: 'use-lite', dtype: 'q8', device: 'wasm' });
  try {
    const rows: ParityRow[] = [];
    for (const [i, p] of products.entries()) {
      // The text the worker embeds for an event about this product.
      const text = itemText(p);
      const [mine] = await encoder.embed([text]);
      const hit = hits[i];
      rows.push({ id: p.id, text, cosine: hit && mine ? cosine(hit.vector, mine) : undefined });
    }
    return { device: encoder.runtime().device, rows };
  } finally {
    await encoder.dispose();
  }
};

const status = document.getElementById('status');
if (status) status.textContent = 'ready';
