import type { ModelSource } from '@portrait/model';

/** Download progress of one model file, in bytes. */
export interface ModelProgress {
  file: string;
  loaded: number;
  total: number;
  fromCache: boolean;
}

export const MODEL_CACHE = 'portrait-models-v1';

async function readWithProgress(res: Response, report: (loaded: number) => void): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    report(loaded);
  }
  const out = new Uint8Array(loaded);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/**
 * Reads model files from the merchant's origin through the Cache API, reporting bytes as they
 * arrive. Integrity is checked by the model package against manifest.json after reading; when it
 * fails the engine purges this cache, so a bad download is reported, not kept.
 */
export function cachedModelSource(baseUrl: string, onProgress: (p: ModelProgress) => void): ModelSource {
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (path) => {
    const url = new URL(path, root).href;
    const cache = typeof caches === 'undefined' ? undefined : await caches.open(MODEL_CACHE).catch(() => undefined);
    const hit = await cache?.match(url);
    if (hit) {
      const bytes = new Uint8Array(await hit.arrayBuffer());
      onProgress({ file: path, loaded: bytes.length, total: bytes.length, fromCache: true });
      return bytes;
    }
    // The Cache API above is the copy that counts. Through the HTTP cache, tabs downloading the
    // same file at once (several tabs on a first visit) fail with ERR_CACHE_WRITE_FAILURE.
    const res = await fetch(url, { credentials: 'omit', cache: 'no-store' });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    const total = Number(res.headers.get('content-length') ?? 0);
    const bytes = await readWithProgress(res, (loaded) =>
      onProgress({ file: path, loaded, total: Math.max(total, loaded), fromCache: false }),
    );
    // Best effort: a full quota costs a re-download next visit, nothing else.
    await cache?.put(url, new Response(bytes.slice().buffer)).catch(() => undefined);
    return bytes;
  };
}

export async function purgeModelCache(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(MODEL_CACHE).catch(() => false);
}
