// Refits assets/default-basis.bin: the basis a collector serves before its shop imports a
// catalogue. Fitted on the shared retail dataset (read in place, never copied into the repo).
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_BASIS_PATH } from '../src/catalogue.ts';
import { importCatalogue } from '../src/catalogue-import.ts';

const items = resolve(process.argv[2] ?? '../../../shared/datasets/online-retail-dev/items.jsonl');
const dir = await mkdtemp(join(tmpdir(), 'portrait-basis-'));
try {
  const manifest = await importCatalogue({
    itemsPath: items,
    outDir: join(dir, 'cat'),
    basisVersion: 1,
    log: console.log,
  });
  await copyFile(join(dir, 'cat', 'basis.bin'), DEFAULT_BASIS_PATH);
  console.log(`wrote ${DEFAULT_BASIS_PATH}: variance kept ${manifest.varianceKept.toFixed(4)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
