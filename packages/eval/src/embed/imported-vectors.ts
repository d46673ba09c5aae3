import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeShard, fnv1a32, SHARD_FLAGS } from '@portrait/core';

/** Item vectors a collector import wrote (`portrait-collector import`), by item id, as a device decodes them. */
export interface ImportedVectors {
  dir: string;
  modelId: string;
  /** The manifest's version: model, basis and a hash of every item id with the text embedded for it. */
  version: string;
  dim: number;
  /** Dequantized shard vectors (int8 with one scale per item: not exactly unit length). */
  vectors: Map<string, Float32Array>;
  /** Items the import found near a sensitive topic (the worker stores but never folds them). */
  sensitive: Set<string>;
}

interface Manifest {
  modelId: string;
  dim: number;
  shards: number;
  version: string;
}

/**
 * Reads an import's `manifest.json` and every item shard of its version, decoded with core's
 * `decodeShard` (the worker's decoder). Throws with the folder's name on a missing or broken file:
 * an evaluation that silently fell back to its own vectors would prove nothing.
 */
export async function readImportedVectors(dir: string): Promise<ImportedVectors> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (e) {
    throw new Error(`${join(dir, 'manifest.json')}: not a catalogue import (${(e as Error).message})`);
  }
  if (!(manifest.shards >= 1) || !(manifest.dim >= 1) || typeof manifest.version !== 'string') {
    throw new Error(`${join(dir, 'manifest.json')}: needs shards, dim and version`);
  }
  const vectors = new Map<string, Float32Array>();
  const sensitive = new Set<string>();
  for (let n = 0; n < manifest.shards; n++) {
    const file = join(dir, manifest.version, `${n}.bin`);
    const shard = decodeShard(new Uint8Array(await readFile(file)));
    if (!shard.ok) throw new Error(`${file}: ${shard.message}`);
    if (shard.dim !== manifest.dim) throw new Error(`${file}: dimension ${shard.dim}, manifest says ${manifest.dim}`);
    for (const [id, v] of shard.vectors) vectors.set(id, v);
    for (const [id, f] of shard.flags) if (f & SHARD_FLAGS.sensitive) sensitive.add(id);
  }
  return { dir, modelId: manifest.modelId, version: manifest.version, dim: manifest.dim, vectors, sensitive };
}

/**
 * Whether the import embedded exactly these items with exactly these texts, in this order: the
 * import names its version after fnv1a32 of the `id NUL text` lines (see catalogue-import.ts).
 */
export function importHashMatches(imported: ImportedVectors, items: readonly { id: string; text: string }[]): boolean {
  const content = items.map((it) => `${it.id}\u0000${it.text}`).join('\n');
  return imported.version.endsWith(`-${(fnv1a32(content) >>> 0).toString(16)}`);
}
