import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BasisFile, decodeBasisFile, decodeShard, type SignalParams } from '@portrait/core';

/** `manifest.json` of a catalogue folder (the worker reads modelId, dim, shards, version). */
export interface CatalogueManifest {
  modelId: string;
  dim: number;
  shards: number;
  version: string;
  basisVersion: number;
  compactDim: number;
  items: number;
  varianceKept: number;
  /** The sensitive-topic decision the import wrote into the shards (flags), and for which topic list. */
  guard?: { topicsHash: string; threshold: number; sensitive: number };
  /** Interest labels published in `<version>/labels.bin` (explain() without the model). */
  labels?: number;
  /** When the import read an order log: what it found and how the shards' signals were built. */
  signals?: {
    orders: number;
    lines: number;
    skipped: number;
    withNeighbours: number;
    params: SignalParams;
  };
  /** The most popular item ids (recent first): the candidates of the device's popularity prior. */
  popular?: string[];
  /**
   * The shop's repeat share (core's catalogue signals: of the items in a returning customer's
   * orders, the share that customer had bought before), two decimals; "for you" on the device
   * weighs by it. Absent when the order export had no such key.
   */
  repeatShare?: number;
}

export interface CatalogueItemVector {
  id: string;
  title: string;
  vector: Float32Array;
}

/** What the collector serves from a catalogue folder, loaded once at start. */
export interface Catalogue {
  manifest?: CatalogueManifest;
  basisBytes: Uint8Array;
  basis: BasisFile;
  items: CatalogueItemVector[];
  /** Category-diverse candidates for on-device re-ranking (privacy mode). */
  candidates: CatalogueItemVector[];
  shard(version: string, n: number): Promise<Uint8Array | undefined>;
  /** The interest-label vectors of a version (a shard keyed by label text), if the import wrote them. */
  labels(version: string): Promise<Uint8Array | undefined>;
}

/** The basis for shops that publish none: fitted on a public retail catalogue (see assets/README.md). */
export const DEFAULT_BASIS_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../assets/default-basis.bin');

/** Greedy farthest-point picks: each next candidate is the item least like those already picked. */
export function diverseCandidates(items: CatalogueItemVector[], n: number): CatalogueItemVector[] {
  if (items.length <= n) return [...items];
  const unit = items.map((it) => {
    let s = 0;
    for (const x of it.vector) s += x * x;
    const k = 1 / (Math.sqrt(s) || 1);
    return Float32Array.from(it.vector, (x) => x * k);
  });
  const best = new Float32Array(items.length).fill(-2);
  const picked: number[] = [0];
  for (;;) {
    const last = unit[picked.at(-1) as number] as Float32Array;
    let far = -1;
    let farSim = 2;
    for (let i = 0; i < items.length; i++) {
      const u = unit[i] as Float32Array;
      let dot = 0;
      for (let j = 0; j < u.length; j++) dot += (u[j] as number) * (last[j] as number);
      if (dot > (best[i] as number)) best[i] = dot;
      if ((best[i] as number) < farSim) {
        farSim = best[i] as number;
        far = i;
      }
    }
    if (picked.length >= n || far < 0) break;
    picked.push(far);
  }
  return picked.map((i) => items[i] as CatalogueItemVector);
}

export async function loadCatalogue(dir: string | undefined, candidateCount = 200): Promise<Catalogue> {
  const folder = dir && existsSync(join(dir, 'manifest.json')) ? dir : undefined;
  const basisBytes = new Uint8Array(await readFile(folder ? join(folder, 'basis.bin') : DEFAULT_BASIS_PATH));
  const decoded = decodeBasisFile(basisBytes);
  if (!decoded.ok) throw new Error(`basis file: ${decoded.message}`);
  if (!folder) {
    const none = async () => undefined;
    return { basisBytes, basis: decoded.file, items: [], candidates: [], shard: none, labels: none };
  }
  const manifest = JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')) as CatalogueManifest;
  const compact = decodeShard(new Uint8Array(await readFile(join(folder, 'compact.bin'))));
  if (!compact.ok) throw new Error(`compact.bin: ${compact.message}`);
  const titles = JSON.parse(await readFile(join(folder, 'items.json'), 'utf8')) as { id: string; title: string }[];
  const items = titles.flatMap(({ id, title }) => {
    const vector = compact.vectors.get(id);
    return vector ? [{ id, title, vector }] : [];
  });
  return {
    manifest,
    basisBytes,
    basis: decoded.file,
    items,
    candidates: diverseCandidates(items, candidateCount),
    async shard(version, n) {
      if (version !== manifest.version || !Number.isInteger(n) || n < 0 || n >= manifest.shards) return undefined;
      return new Uint8Array(await readFile(join(folder, version, `${n}.bin`)));
    },
    async labels(version) {
      if (version !== manifest.version || !manifest.labels) return undefined;
      return new Uint8Array(await readFile(join(folder, version, 'labels.bin')));
    },
  };
}
