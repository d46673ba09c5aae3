import { describe, expect, test } from 'vitest';
import { embeddingCorpus } from './corpus/test-corpus.ts';
import { cosine } from './eval/similarity.ts';
import { loadEncoder } from './load-encoder.ts';
import { fileSource } from './node-source.ts';
import { useBuiltModels } from './test-env.ts';

describe('use-lite on WASM runs onnxruntime-web/wasm directly, in the vector space of the transformers.js path', () => {
  test('fp32, 300 titles and own strings: cosine >= 0.9999 to the same model through transformers.js', async () => {
    const root = await useBuiltModels();
    const { titles, own } = embeddingCorpus(300);
    const texts = [...titles, ...own].filter((t) => t.length > 0);
    const load = (device: 'wasm' | 'cpu') =>
      loadEncoder({
        baseUrl: root,
        modelId: 'use-lite',
        dtype: 'fp32',
        batchSize: 1,
        device,
        source: fileSource(root),
      });
    const direct = await load('wasm');
    const ours = await direct.embed(texts);
    expect(direct.runtime()).toEqual({ device: 'wasm', wasmThreads: 1 });
    await direct.dispose();
    // device 'cpu' is AutoModel.forward + meanPoolNormalize in transformers.js, on onnxruntime-node.
    // Node has no transformers.js on onnxruntime-web, and the two runtimes' int8 kernels round
    // differently (cosine down to 0.9996), so int8 is compared in Chromium (e2e/model-backends).
    const viaTransformers = await load('cpu');
    const theirs = await viaTransformers.embed(texts);
    await viaTransformers.dispose();
    const low = texts
      .map((t, i) => ({ t, c: cosine(ours[i] ?? new Float32Array(), theirs[i] ?? new Float32Array()) }))
      .filter(({ c }) => c < 0.9999);
    expect(low).toEqual([]);
    expect(ours.every((v) => v.length === 512 && Math.abs(Math.hypot(...v) - 1) < 1e-5)).toBe(true);
  }, 120_000);
});
