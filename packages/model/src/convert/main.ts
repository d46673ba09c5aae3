import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type ModelManifest } from '../manifest.ts';
import { buildModels, MODEL_IDS, MODELS_ROOT } from './build-models.ts';
import { sha256 } from './model-folder.ts';

/** Prints sha256, size and path of every output file, re-hashing the bytes on disk. */
async function printHashes(): Promise<void> {
  for (const id of MODEL_IDS) {
    const manifestBytes = await readFile(join(MODELS_ROOT, id, MANIFEST_FILE));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as ModelManifest;
    const rows: [string, Uint8Array][] = [];
    for (const f of manifest.files) rows.push([f.path, await readFile(join(MODELS_ROOT, id, f.path))]);
    rows.push([MANIFEST_FILE, manifestBytes]);
    for (const [path, bytes] of rows) {
      const listed = manifest.files.find((f) => f.path === path);
      const flag = listed && listed.sha256 !== sha256(bytes) ? '  MISMATCH with manifest.json' : '';
      console.log(`${sha256(bytes)}  ${String(bytes.byteLength).padStart(9)}  ${id}/${path}${flag}`);
    }
  }
}

const started = performance.now();
const { converted, inputs } = await buildModels();
console.log(converted ? 'converted models' : `models up to date (inputs ${inputs.slice(0, 12)}), conversion skipped`);
await printHashes();
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
