import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_FILE } from '../manifest.ts';
import { USE_LITE_DIR } from '../reference/use-lite-dir.ts';
import { hashInputs, listFiles, readStamp, writeStamp } from './build-stamp.ts';
import { writeModelFolder } from './model-folder.ts';
import { tinyBertFolder } from './tiny-bert-folder.ts';
import { useLiteFolder } from './use-lite-folder.ts';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, '..', '..');

/** `packages/model/dist/models`: the root the loader, Vite and the tests read. */
export const MODELS_ROOT = join(packageRoot, 'dist', 'models');
export const MODEL_IDS = ['use-lite', 'tiny-bert'] as const;

/**
 * Converts both model folders unless the stamp says the inputs (npm weights,
 * converter sources, package.json) are unchanged since the last conversion.
 */
export async function buildModels(): Promise<{ converted: boolean; inputs: string }> {
  const stampPath = join(MODELS_ROOT, '.stamp.json');
  const inputs = await hashInputs([
    ...(await listFiles(USE_LITE_DIR, '')).filter((f) => !f.endsWith('.ts') && !f.endsWith('.js')),
    ...(await listFiles(here, '.ts')).filter((f) => !f.endsWith('.test.ts')),
    join(packageRoot, 'src', 'manifest.ts'),
    join(packageRoot, 'src', 'tokenizer', 'marker.ts'),
    join(packageRoot, 'package.json'),
  ]);
  const complete = MODEL_IDS.every((id) => existsSync(join(MODELS_ROOT, id, MANIFEST_FILE)));
  if (complete && (await readStamp(stampPath)) === inputs) return { converted: false, inputs };
  await mkdir(MODELS_ROOT, { recursive: true });
  await writeModelFolder(MODELS_ROOT, await useLiteFolder(USE_LITE_DIR));
  await writeModelFolder(MODELS_ROOT, tinyBertFolder());
  await writeStamp(stampPath, inputs);
  return { converted: true, inputs };
}
