import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE, type ModelManifest } from '../manifest.ts';
import { USE_LITE_DIR } from '../reference/use-lite-dir.ts';
import { hashInputs, listFiles, readStamp, writeStamp } from './build-stamp.ts';
import { sha256, writeModelFolder } from './model-folder.ts';
import { tinyBertFolder } from './tiny-bert-folder.ts';
import { useLiteFolder } from './use-lite-folder.ts';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');
const outRoot = join(packageRoot, 'dist', 'models');
const stampPath = join(outRoot, '.stamp.json');
const MODEL_IDS = ['use-lite', 'tiny-bert'];

async function printHashes(): Promise<void> {
  for (const id of MODEL_IDS) {
    const manifestPath = join(outRoot, id, MANIFEST_FILE);
    const manifestBytes = await readFile(manifestPath);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as ModelManifest;
    for (const f of manifest.files) {
      const bytes = await readFile(join(outRoot, id, f.path));
      const ok = sha256(bytes) === f.sha256 ? '' : '  (MISMATCH with manifest)';
      console.log(`${sha256(bytes)}  ${String(bytes.byteLength).padStart(9)}  ${id}/${f.path}${ok}`);
    }
    console.log(`${sha256(manifestBytes)}  ${String(manifestBytes.byteLength).padStart(9)}  ${id}/${MANIFEST_FILE}`);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const inputs = await hashInputs([
    ...(await listFiles(USE_LITE_DIR, '')).filter((f) => !f.endsWith('.ts') && !f.endsWith('.js')),
    ...(await listFiles(here, '.ts')),
    join(packageRoot, 'src', 'manifest.ts'),
    join(packageRoot, 'package.json'),
  ]);
  const complete = MODEL_IDS.every((id) => existsSync(join(outRoot, id, MANIFEST_FILE)));
  if (complete && (await readStamp(stampPath)) === inputs) {
    console.log(`models up to date (inputs ${inputs.slice(0, 12)}), skipping conversion`);
  } else {
    await rm(outRoot, { recursive: true, force: true });
    await mkdir(outRoot, { recursive: true });
    await writeModelFolder(outRoot, await useLiteFolder(USE_LITE_DIR));
    await writeModelFolder(outRoot, tinyBertFolder());
    await writeStamp(stampPath, inputs);
    console.log(`converted into ${relative(process.cwd(), outRoot) || '.'}`);
  }
  await printHashes();
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
