import { type Basis, decodeBasisFile, fnv1a32, type Logger } from '@portrait/core';
import { META_PER_MODEL } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';

const REFRESH_MS = 6 * 3_600_000;

const toBase64 = (b: Uint8Array) => btoa(Array.from(b, (x) => String.fromCharCode(x)).join(''));
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

function usable(bytes: Uint8Array, modelId: string, dim: number): Basis | undefined {
  const d = decodeBasisFile(bytes);
  if (!d.ok || d.file.modelHash !== fnv1a32(modelId) || d.file.basis.inDim !== dim) return undefined;
  return d.file.basis;
}

/**
 * The collector's PCA basis (`GET /v1/basis`), refreshed every few hours and kept in IndexedDB
 * so an offline start still projects with it. A basis for another model is ignored; with none
 * at all the caller keeps its random projection (version 0).
 */
export function createBasisSource(log: () => Logger) {
  let fetchedAt = 0;
  return async function publishedBasis(
    store: Store<{ modelId: string }>,
    collectorUrl: string,
    modelId: string,
    dim: number,
    now = Date.now(),
  ): Promise<Basis | undefined> {
    if (now - fetchedAt >= REFRESH_MS) {
      fetchedAt = now;
      try {
        const res = await fetch(new URL('/v1/basis', collectorUrl), {
          credentials: 'omit',
          referrerPolicy: 'no-referrer',
        });
        if (res.ok) {
          const bytes = new Uint8Array(await res.arrayBuffer());
          const basis = usable(bytes, modelId, dim);
          if (basis) {
            await store.setMeta(META_PER_MODEL.basis(modelId), toBase64(bytes));
            return basis;
          }
          log().warn('collector basis is for another model or malformed: ignored');
        }
      } catch (err) {
        // Offline: retry on a later sync, use the stored copy meanwhile.
        fetchedAt = 0;
        log().debug('basis fetch failed', err);
      }
    }
    const cached = await store.getMeta(META_PER_MODEL.basis(modelId));
    return cached ? usable(fromBase64(cached), modelId, dim) : undefined;
  };
}
