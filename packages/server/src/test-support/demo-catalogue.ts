import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { type CatalogueManifest, importCatalogue } from '../index.ts';

/** Imports the demo shop's seed products with the real bundled model into a temp folder (`remove` deletes it). */
export async function demoCatalogue(): Promise<{ dir: string; manifest: CatalogueManifest; remove(): Promise<void> }> {
  const tmp = await mkdtemp(join(tmpdir(), 'portrait-cat-'));
  const items = join(tmp, 'items.jsonl');
  await writeFile(items, SEED_PRODUCTS.map((p) => JSON.stringify(p)).join('\n'));
  const dir = join(tmp, 'catalogue');
  const manifest = await importCatalogue({ itemsPath: items, outDir: join(tmp, 'catalogue'), shards: 3 });
  return { dir, manifest, remove: () => rm(tmp, { recursive: true, force: true }) };
}
