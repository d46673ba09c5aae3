import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itemText, SHARD_FORMAT } from '@portrait/core';
import { importCatalogue } from '@portrait/server';
import { PRODUCTS } from './src/products.ts';

/**
 * Imports the shop's products into a collector catalogue folder under `dataDir`, once per
 * product list and embedded text: embedding 324 items takes a few seconds, so an unchanged list reuses
 * the folder. The basis version is pinned so a restart never bumps it (devices cache it).
 */
export async function collectorCatalogueDir(dataDir: string): Promise<string> {
  const lines = PRODUCTS.map(({ id, title, category, brand, price }) =>
    JSON.stringify({ id, title, category, brand, price }),
  ).join('\n');
  // Keyed on the texts the model embeds too: a change to core's item text re-imports.
  const texts = PRODUCTS.map((p) => itemText(p)).join('\n');
  // And on the shard format: a folder written by an older import lacks what newer devices read.
  const hash = createHash('sha256')
    .update(lines)
    .update(texts)
    .update(`shard-${SHARD_FORMAT}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(dataDir, `catalogue-${hash}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  mkdirSync(dataDir, { recursive: true });
  const items = join(dataDir, `items-${hash}.jsonl`);
  writeFileSync(items, lines);
  console.log(`[portrait] importing the demo shop's ${PRODUCTS.length} products into the collector…`);
  await importCatalogue({ itemsPath: items, outDir: dir, shards: 2, basisVersion: 2 });
  return dir;
}
