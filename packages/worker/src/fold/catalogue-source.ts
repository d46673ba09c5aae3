import { decodeShard, type Logger, SHARD_FLAGS, type ShardSignals, shardOf } from '@portrait/core';
import type { LabelVector } from './profile-fold.ts';

/** `manifest.json` of a merchant's catalogue vector folder (what the worker reads of it). */
export interface CatalogueManifest {
  modelId: string;
  dim: number;
  shards: number;
  version: string;
  /** The sensitive-topic decision written into the shards' flags, and for which topic list. */
  guard?: { topicsHash: string; threshold: number };
  /** How many interest labels `<version>/labels.bin` holds. */
  labels?: number;
  /** The most popular item ids, recent first (written when the import read an order log). */
  popular?: string[];
  /** The shop's repeat share (core's catalogue signals), when its order log had customer keys. */
  repeatShare?: number;
}

/** An item's published vector and whether the import found it close to a sensitive topic. */
export interface CatalogueHit {
  vector: Float32Array;
  sensitive: boolean;
  /** Its order-log signals (shard format 3), when the merchant published them. */
  signals?: ShardSignals;
}

/** Item vectors the merchant published, in one model's space. */
export interface Catalogue {
  readonly modelId: string;
  readonly dim: number;
  /** The topic-list hash the shards' sensitive flags were computed for, if any. */
  readonly guardTopics: string | undefined;
  lookup(itemIds: string[]): Promise<(CatalogueHit | undefined)[]>;
  /** The merchant's most popular ids (empty when it published none). */
  readonly popular: readonly string[];
  /** The shop's repeat share, 0..1 (undefined when it published none or an unusable one). */
  readonly repeatShare: number | undefined;
  /** Ids of every item in the shards fetched so far (candidates that cost no request). */
  loadedIds(): Promise<string[]>;
  /** Ids of the items in one item's shard: which ones follows from the id alone, not from history. */
  shardMates(itemId: string): Promise<string[]>;
  /** Which shard holds an item (from the id alone, no request): lets a caller bound its fetches. */
  shardOf(itemId: string): number;
  /** The published interest labels (empty when none). */
  labels(): Promise<LabelVector[]>;
}

// The merchant's own origin serves these; nothing about the page or the shopper goes with them.
const GET: RequestInit = { credentials: 'omit', referrerPolicy: 'no-referrer' };

/**
 * Item vectors sharded by item-id hash: the device downloads only the shards of items the shopper
 * touches (each shard holds at least 64 items, so a request names one of them at most). A folder
 * made with another model than `modelId` is ignored, never mixed.
 */
export async function catalogueSource(baseUrl: string, modelId: string, log: Logger): Promise<Catalogue | undefined> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  let manifest: CatalogueManifest;
  try {
    const res = await fetch(new URL('manifest.json', base), GET);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    manifest = (await res.json()) as CatalogueManifest;
  } catch (err) {
    log.info('no catalogue vectors', String(err));
    return undefined;
  }
  if (manifest.modelId !== modelId || !(manifest.shards > 0) || !(manifest.dim > 0)) {
    log.warn(`catalogue vectors are for ${manifest.modelId}, the model is ${modelId}: ignored`);
    return undefined;
  }
  const fetchShard = async (file: string) => {
    try {
      const res = await fetch(new URL(`${manifest.version}/${file}`, base), GET);
      if (!res.ok) return undefined;
      const decoded = decodeShard(new Uint8Array(await res.arrayBuffer()));
      if (decoded.ok && decoded.dim === manifest.dim) return decoded;
      log.warn(`catalogue ${file}: ${decoded.ok ? `dimension ${decoded.dim}` : decoded.message}`);
    } catch (err) {
      log.debug(`catalogue ${file} unavailable`, err);
    }
    return undefined;
  };
  const shards = new Map<number, ReturnType<typeof fetchShard>>();
  const shard = (n: number) => {
    let p = shards.get(n);
    if (!p) {
      p = fetchShard(`${n}.bin`);
      shards.set(n, p);
      // A shard that could not be fetched (offline, a 5xx) is asked for again next time, not
      // remembered as empty for the worker's life.
      void p.then((s) => {
        if (!s) shards.delete(n);
      });
    }
    return p;
  };
  let labels: Promise<LabelVector[]> | undefined;
  return {
    modelId: manifest.modelId,
    dim: manifest.dim,
    guardTopics: manifest.guard?.topicsHash,
    popular: Array.isArray(manifest.popular) ? manifest.popular.filter((id) => typeof id === 'string') : [],
    repeatShare:
      typeof manifest.repeatShare === 'number' && manifest.repeatShare >= 0 && manifest.repeatShare <= 1
        ? manifest.repeatShare
        : undefined,
    async loadedIds() {
      const loaded = await Promise.all(shards.values());
      return loaded.flatMap((s) => (s ? [...s.vectors.keys()] : []));
    },
    async shardMates(itemId) {
      const s = await shard(shardOf(itemId, manifest.shards));
      return s ? [...s.vectors.keys()] : [];
    },
    shardOf: (itemId) => shardOf(itemId, manifest.shards),
    async lookup(itemIds) {
      return Promise.all(
        itemIds.map(async (id) => {
          const s = await shard(shardOf(id, manifest.shards));
          const vector = s?.vectors.get(id);
          if (!vector) return undefined;
          const hit: CatalogueHit = { vector, sensitive: ((s?.flags.get(id) ?? 0) & SHARD_FLAGS.sensitive) !== 0 };
          const signals = s?.signals.get(id);
          if (signals) hit.signals = signals;
          return hit;
        }),
      );
    },
    labels() {
      labels ??= manifest.labels
        ? fetchShard('labels.bin').then((s) => (s ? [...s.vectors].map(([label, vector]) => ({ label, vector })) : []))
        : Promise.resolve([]);
      return labels;
    },
  };
}
