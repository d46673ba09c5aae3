import { cosine, DEFAULT_PROFILE_PARAMS, decodeShard } from '@portrait/core';

/**
 * The catalogue's item vectors (the same model the worker runs), as the collector publishes them
 * to every device: what the shop's page ranks its own recently-viewed list with.
 */
export interface Space {
  items: Map<string, Float32Array>;
}

async function bytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

let cached: Promise<Space | undefined> | undefined;

export function loadSpace(collector: string | undefined): Promise<Space | undefined> {
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
    return { items };
  })().catch(() => undefined);
  return cached;
}

/**
 * The viewed product closest to a recommended item: the "because you looked at …" reason. None when
 * even the closest is as far as the profile's own line between two interests: a running shoe is
 * not "because you looked at" a coffee grinder.
 */
export function closestViewed(
  space: Space,
  itemId: string,
  viewed: string[],
  min = DEFAULT_PROFILE_PARAMS.newInterestSimilarity,
): string | undefined {
  const v = space.items.get(itemId);
  let best: { id: string; s: number } | undefined;
  for (const id of viewed) {
    const w = space.items.get(id);
    if (!v || !w || id === itemId) continue;
    const s = cosine(v, w);
    if (s >= min && (!best || s > best.s)) best = { id, s };
  }
  return best?.id;
}

/**
 * Each department's average product vector (the catalogue's published vectors): where the map
 * puts the department, and what its labels name. Departments without a vector are left out.
 */
export function departmentVectors(
  space: Space,
  products: Map<string, { department: string }>,
): { label: string; vector: Float32Array }[] {
  const sums = new Map<string, { v: Float32Array; n: number }>();
  for (const [id, v] of space.items) {
    const d = products.get(id)?.department;
    if (!d) continue;
    const s = sums.get(d) ?? { v: new Float32Array(v.length), n: 0 };
    if (s.v.length !== v.length) continue;
    for (let i = 0; i < v.length; i++) s.v[i] = (s.v[i] as number) + (v[i] as number);
    s.n++;
    sums.set(d, s);
  }
  return [...sums]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, s]) => ({ label, vector: s.v.map((x) => x / s.n) }));
}
