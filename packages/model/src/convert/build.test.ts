import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { USE_LITE_DIR } from '../reference/use-lite-dir.ts';
import { buildModels, MODELS_ROOT } from './build-models.ts';
import { sha256 } from './model-folder.ts';
import { tinyBertFolder } from './tiny-bert-folder.ts';
import { useLiteFolder } from './use-lite-folder.ts';

describe('converter', () => {
  test('two conversions produce identical bytes', async () => {
    const [a, b] = [await useLiteFolder(USE_LITE_DIR), await useLiteFolder(USE_LITE_DIR)];
    expect(sha256(a.fp32)).toBe(sha256(b.fp32));
    expect(sha256(a.int8)).toBe(sha256(b.int8));
    expect(JSON.stringify(a.tokenizer)).toBe(JSON.stringify(b.tokenizer));
    expect(sha256(tinyBertFolder().int8)).toBe(sha256(tinyBertFolder().int8));
  }, 60_000);

  test('writes the transformers.js layout with a manifest of sizes and sha256, int8 <= 9 MB', async () => {
    await buildModels();
    for (const id of ['use-lite', 'tiny-bert']) {
      const manifest = JSON.parse(await readFile(join(MODELS_ROOT, id, 'manifest.json'), 'utf8')) as {
        files: { path: string; bytes: number; sha256: string }[];
      };
      expect(manifest.files.map((f) => f.path).sort()).toEqual(
        [
          'config.json',
          'onnx/model.onnx',
          'onnx/model_quantized.onnx',
          'tokenizer.json',
          'tokenizer_config.json',
        ].sort(),
      );
      for (const f of manifest.files) {
        const bytes = await readFile(join(MODELS_ROOT, id, f.path));
        expect({ path: f.path, bytes: bytes.byteLength, sha256: sha256(bytes) }).toEqual(f);
      }
    }
    expect((await stat(join(MODELS_ROOT, 'use-lite', 'onnx', 'model_quantized.onnx'))).size).toBeLessThanOrEqual(
      9_000_000,
    );
  }, 60_000);

  test('a second build with unchanged inputs is skipped', async () => {
    await buildModels();
    expect(existsSync(join(MODELS_ROOT, '.stamp.json'))).toBe(true);
    expect((await buildModels()).converted).toBe(false);
  }, 60_000);
});
