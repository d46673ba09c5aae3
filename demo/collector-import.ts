import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { itemText, SHARD_FORMAT } from '@portrait/core';
import { importCatalogue } from '@portrait/server';
import { demoOrderHistoryText } from './demo-order-history.ts';
import { PRODUCTS } from './src/products.ts';

/**
 * Imports the shop's products into a collector catalogue folder under `dataDir`, once per
 * product list and embedded text: embedding 324 items takes a few seconds, so an unchanged list reuses
 * the folder. The basis version is pinned so a restart never bumps it (devices cache it). The
 * shop's synthetic order history (demo-order-history.ts) goes in as the order log, so the shards
 * carry the catalogue signals the on-device "related" / "bought together" / "for you" read.
 */
export async function collectorCatalogueDir(dataDir: string): Promise<string> {
  const lines = PRODUCTS.map(({ id, title, category, brand, price }) =>
    JSON.stringify({ id, title, category, brand, price }),
  ).join('\n');
  // Keyed on the texts the model embeds too: a change to core's item text re-imports.
  const texts = PRODUCTS.map((p) => itemText(p)).join('\n');
  const orders = demoOrderHistoryText();
  // And on the order log (its signals are in the shards), and on the shard format: a folder written by an older import lacks what newer devices read.
  const hash = createHash('sha256')
    .update(lines)
    .update(texts)
    .update(orders)
    .update(`shard-${SHARD_FORMAT}`)
    .digest('hex')
    .slice(0, 12);
  const dir = join(dataDir, `catalogue-${hash}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  mkdirSync(dataDir, { recursive: true });
  const items = join(dataDir, `items-${hash}.jsonl`);
  writeFileSync(items, lines);
  const ordersPath = join(dataDir, `orders-${hash}.jsonl`);
  writeFileSync(ordersPath, orders);
  console.log(
    `[portrait] importing the demo shop's ${PRODUCTS.length} products (with a synthetic order history) into the collector…`,
  );
  await importCatalogue({ itemsPath: items, outDir: dir, shards: 2, basisVersion: 2, ordersPath });
  return dir;
}
