import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { planDownload } from './download-plan.ts';
import type { ModelSource } from './model-source.ts';
import { fileSource } from './node-source.ts';
import { useBuiltModels } from './test-env.ts';
import { verifyModel } from './verify-model.ts';

let root = '';
let scratch = '';

/** The paths a source was asked for, in order. */
function recording(source: ModelSource): { source: ModelSource; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    source: (path) => {
      asked.push(path);
      return source(path);
    },
  };
}

describe('planDownload', () => {
  beforeAll(async () => {
    root = await useBuiltModels();
    scratch = await mkdtemp(join(tmpdir(), 'portrait-plan-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  test.each([
    ['q8', 'onnx/model_quantized.onnx'],
    ['fp32', 'onnx/model.onnx'],
  ] as const)('use-lite %s: the files verifyModel reads, each with its size on disk', async (dtype, onnx) => {
    const plan = await planDownload(fileSource(root), { modelId: 'use-lite', dtype, device: 'wasm' });
    const verify = recording(fileSource(root));
    await verifyModel(verify.source, 'use-lite', onnx);
    expect(plan.files?.map((f) => f.path).sort()).toEqual([...new Set(verify.asked)].sort());
    for (const f of plan.files ?? []) expect(f.bytes).toBe((await stat(join(root, f.path))).size);
  });

  test('the runtime build is the one loadEncoder takes: WASM-only for use-lite on WASM, asyncify for WebGPU and BERT folders', async () => {
    const source = fileSource(root);
    expect((await planDownload(source, { modelId: 'use-lite', device: 'wasm' })).runtime).toBe('wasm-only');
    expect((await planDownload(source, { modelId: 'use-lite', device: 'webgpu' })).runtime).toBe('asyncify');
    expect((await planDownload(source, { modelId: 'tiny-bert', device: 'wasm' })).runtime).toBe('asyncify');
    expect((await planDownload(source, { modelId: 'tiny-bert', device: 'cpu' })).runtime).toBe('node');
  });

  test('a folder without manifest.json has no sizes to plan with', async () => {
    await cp(join(root, 'tiny-bert'), join(scratch, 'no-manifest'), { recursive: true });
    await rm(join(scratch, 'no-manifest', 'manifest.json'));
    const plan = await planDownload(fileSource(scratch), { modelId: 'no-manifest' });
    expect(plan.files).toBeUndefined();
  });

  test('reads only the two small files: nothing large is requested before the plan exists', async () => {
    const r = recording(fileSource(root));
    await planDownload(r.source, { modelId: 'use-lite' });
    expect(r.asked).toEqual(['use-lite/config.json', 'use-lite/manifest.json']);
  });
});
