import { type Basis, cosine, decodeBasisFile, decodeShard } from '@portrait/core';
import type { ShopProduct } from '../products';

/**
 * The vector space the drawer draws in, built only from what the collector publishes to every
 * device: the catalogue's item vectors (the same model the worker runs) and its PCA basis. A
 * department's point is the mean of its products' vectors; the map is the basis's first two
 * principal components.
 */
export interface Space {
  items: Map<string, Float32Array>;
  departments: { label: string; vector: Float32Array }[];
  basis: Basis;
  basisVersion: number;
  varianceKept: number;
}

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

let cached: Promise<Space | undefined> | undefined;

export function loadSpace(
  collector: string | undefined,
  products: Map<string, ShopProduct>,
): Promise<Space | undefined> {
  cached ??= (async () => {
    if (!collector) return undefined;
    const manifest = (await (
      await fetch(new URL('/v1/catalogue-vectors/manifest.json', collector), {
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      })
    ).json()) as {
      version: string;
      shards: number;
    };
    const items = new Map<string, Float32Array>();
    for (let n = 0; n < manifest.shards; n++) {
      const shard = decodeShard(
        await bytes(new URL(`/v1/catalogue-vectors/${manifest.version}/${n}.bin`, collector).href),
      );
      if (shard.ok) for (const [id, v] of shard.vectors) items.set(id, v);
    }
    const basisFile = decodeBasisFile(await bytes(new URL('/v1/basis', collector).href));
    if (!basisFile.ok) throw new Error(`basis: ${basisFile.message}`);
    const sums = new Map<string, Float32Array>();
    for (const [id, v] of items) {
      const label = products.get(id)?.department;
      if (!label) continue;
      const sum = sums.get(label) ?? new Float32Array(v.length);
      for (let i = 0; i < v.length; i++) sum[i] = (sum[i] as number) + (v[i] as number);
      sums.set(label, sum);
    }
    return {
      items,
      departments: [...sums].map(([label, vector]) => ({ label, vector })),
      basis: basisFile.file.basis,
      basisVersion: basisFile.file.basis.version,
      varianceKept: basisFile.file.varianceKept,
    };
  })().catch(() => undefined);
  return cached;
}

/** Shares over the departments: a softmax of cosine similarity (temperature 0.05), summing to 1. */
export function interests(space: Space, v: Float32Array): { label: string; share: number }[] {
  if (!v.some((x) => x !== 0)) return [];
  const logits = space.departments.map((d) => cosine(v, d.vector) / 0.05);
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return space.departments
    .map((d, i) => ({ label: d.label, share: (exps[i] as number) / sum }))
    .sort((a, b) => b.share - a.share);
}

/** Coordinates on the first two principal components (mean removed, as the basis defines). */
export function plane(space: Space, v: Float32Array): [number, number] {
  const { weights, mean, inDim } = space.basis;
  const out: [number, number] = [0, 0];
  // Directions only: a profile vector and a mean of item vectors differ in length, not in meaning.
  let n = 0;
  for (let i = 0; i < inDim; i++) n += (v[i] as number) ** 2;
  const scale = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (const c of [0, 1] as const) {
    let s = 0;
    for (let i = 0; i < inDim; i++)
      s += (weights[c * inDim + i] as number) * ((v[i] as number) * scale - (mean[i] as number));
    out[c] = s;
  }
  return out;
}

/** The viewed product closest to a recommended item: the "because you looked at …" reason. */
export function closestViewed(space: Space, itemId: string, viewed: string[]): string | undefined {
  const v = space.items.get(itemId);
  let best: { id: string; s: number } | undefined;
  for (const id of viewed) {
    const w = space.items.get(id);
    if (!v || !w || id === itemId) continue;
    const s = cosine(v, w);
    if (!best || s > best.s) best = { id, s };
  }
  return best?.id;
}
