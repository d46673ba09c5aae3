import { decodeShard, type Logger, shardOf } from '@portrait/core';
import type { VectorSource } from './embedding-service';

/** `manifest.json` of a merchant's catalogue vector folder. */
export interface CatalogueManifest {
  modelId: string;
  dim: number;
  shards: number;
  version: string;
}

/**
 * Item vectors the merchant published, sharded by item-id hash: the device downloads only the
 * shards of items the shopper touches. A folder made with another model is ignored, never mixed.
 */
export async function catalogueSource(
  baseUrl: string,
  modelId: string,
  log: Logger,
): Promise<VectorSource | undefined> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  let manifest: CatalogueManifest;
  try {
    const res = await fetch(new URL('manifest.json', base), { credentials: 'omit' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifest = (await res.json()) as CatalogueManifest;
  } catch (err) {
    log.info('no catalogue vectors', String(err));
    return undefined;
  }
  if (manifest.modelId !== modelId || !(manifest.shards > 0)) {
    log.warn(`catalogue vectors are for ${manifest.modelId}, the model is ${modelId}: ignored`);
    return undefined;
  }
  const shards = new Map<number, Promise<Map<string, Float32Array>>>();
  const loadShard = (n: number) => {
    let p = shards.get(n);
    if (!p) {
      p = (async () => {
        try {
          const res = await fetch(new URL(`${manifest.version}/${n}.bin`, base), { credentials: 'omit' });
          if (!res.ok) return new Map<string, Float32Array>();
          const decoded = decodeShard(new Uint8Array(await res.arrayBuffer()));
          if (decoded.ok) return decoded.vectors;
          log.warn(`catalogue shard ${n}: ${decoded.message}`);
        } catch (err) {
          log.debug(`catalogue shard ${n} unavailable`, err);
        }
        return new Map<string, Float32Array>();
      })();
      shards.set(n, p);
    }
    return p;
  };
  return {
    async lookup(itemIds) {
      return Promise.all(itemIds.map(async (id) => (await loadShard(shardOf(id, manifest.shards))).get(id)));
    },
  };
}
