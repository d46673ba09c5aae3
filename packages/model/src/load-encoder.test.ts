import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIGIT_TIE_STRING } from './corpus/own-strings.ts';
import { embeddingCorpus } from './corpus/test-corpus.ts';
import { EncoderError, type EncoderErrorData, isEncoderErrorData } from './encoder-error.ts';
import { type Encoder, type LoadEncoderOptions, loadEncoder } from './load-encoder.ts';
import { fileSource } from './node-source.ts';
import { useBuiltModels } from './test-env.ts';

let root = '';
let scratch = '';

/** A copy of the built tiny-bert folder under a scratch root, to damage one file at a time. */
async function copyModel(name: string): Promise<string> {
  await cp(join(root, 'tiny-bert'), join(scratch, name), { recursive: true });
  return join(scratch, name);
}

/**
 * The use-lite folder's q8 files under a scratch root, without manifest.json (so
 * it loads unverified and config.json may be edited), config.json changed by `edit`.
 */
async function useLiteCopy(name: string, edit: (config: Record<string, unknown>) => unknown): Promise<void> {
  const dir = join(scratch, name);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
    await cp(join(root, 'use-lite', file), join(dir, file));
  }
  const config = JSON.parse(await readFile(join(root, 'use-lite', 'config.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'config.json'), JSON.stringify(edit(config)));
}

/** transformers.js' own feature-extraction pipeline over the same folder, batched as loadEncoder batches. */
async function pipelineVectors(base: string, modelId: string, dtype: 'fp32' | 'q8', texts: string[]) {
  env.localModelPath = `${base}/`;
  const extract = await pipeline('feature-extraction', modelId, { dtype, device: 'cpu' });
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += 32) {
    const batch = texts.slice(i, i + 32);
    const t = await extract(batch, { pooling: 'mean', normalize: true });
    const data = t.data as Float32Array;
    batch.forEach((_, j) => {
      out.push(data.slice(j * 512, (j + 1) * 512));
    });
  }
  await extract.dispose();
  return out;
}

const options = (base: string, modelId: string): LoadEncoderOptions => ({
  baseUrl: base,
  modelId,
  device: 'cpu',
  source: fileSource(base),
});

async function loadError(base: string, modelId: string): Promise<EncoderError> {
  const error = await loadEncoder(options(base, modelId)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EncoderError);
  return error as EncoderError;
}

describe('loadEncoder', () => {
  beforeAll(async () => {
    root = await useBuiltModels();
    scratch = await mkdtemp(join(tmpdir(), 'portrait-model-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  test('loads the tiny random BERT fixture like any BERT folder and returns unit vectors of its hidden size', async () => {
    const encoder = await loadEncoder(options(root, 'tiny-bert'));
    const [a, b] = await encoder.embed(['red heart mug', 'Vintage glass bottle']);
    expect(encoder.dim).toBe(32);
    expect(encoder.verified).toBe(true);
    expect(a).toHaveLength(32);
    const norm = Math.hypot(...(a ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(a).not.toEqual(b);
    await encoder.dispose();
  });

  test('the bundled encoder rejects an empty text with a typed error', async () => {
    const encoder = await loadEncoder({ ...options(root, 'use-lite') });
    await expect(encoder.embed(['ok', ''])).rejects.toMatchObject({ code: 'input/empty' });
    await encoder.dispose();
  });

  test('use-lite (own tokenizer) gives bit-identical vectors to the transformers.js pipeline wherever their ids agree', async () => {
    // The corpus's one tie lies past the 128 tokens the graph keeps, but it is left out all the same.
    const { titles, own } = embeddingCorpus(300);
    const texts = [...titles, ...own].filter((t) => t !== DIGIT_TIE_STRING);
    for (const dtype of ['fp32', 'q8'] as const) {
      // Batched as the pipeline helper batches: q8's activation scale is per call.
      const encoder = await loadEncoder({ ...options(root, 'use-lite'), dtype, batchSize: 32 });
      const ours = await encoder.embed(texts);
      await encoder.dispose();
      const theirs = await pipelineVectors(root, 'use-lite', dtype, texts);
      const unequal = texts.filter((_, i) => !ours[i]?.every((x, k) => x === theirs[i]?.[k]));
      expect(unequal).toEqual([]);
    }
  }, 120_000);

  test('q8 by default: a text gets the same vector alone as among other texts (no per-batch activation scale)', async () => {
    const { titles } = embeddingCorpus(40);
    const encoder = await loadEncoder(options(root, 'use-lite'));
    const together = await encoder.embed(titles);
    const alone = await Promise.all(titles.slice(0, 5).map(async (t) => (await encoder.embed([t]))[0]));
    await encoder.dispose();
    alone.forEach((v, i) => {
      expect(v).toEqual(together[i]);
    });
  }, 60_000);

  test("config.json's portrait.tokenizer, not the folder name, decides which tokenizer runs", async () => {
    // ':' tokenizes differently in the reference ('▁' + ':') and in transformers.js ('▁:').
    await useLiteCopy('marked', (c) => c);
    await useLiteCopy('unmarked', (c) => ({ ...c, portrait: { ...(c.portrait as object), tokenizer: undefined } }));
    const marked = await loadEncoder(options(scratch, 'marked'));
    const unmarked = await loadEncoder(options(scratch, 'unmarked'));
    // One text per call: int8 activations are quantized with one scale per batch.
    const one = async (e: Encoder) => [...(await e.embed([':'])), ...(await e.embed(['red heart']))];
    const [a, b] = [await one(marked), await one(unmarked)];
    await Promise.all([marked.dispose(), unmarked.dispose()]);
    expect(a[1]).toEqual(b[1]);
    expect(a[0]).not.toEqual(b[0]);
    expect(b[0]).toEqual((await pipelineVectors(scratch, 'unmarked', 'q8', [':']))[0]);
  });

  test('a tokenizer marker the loader does not know: model/bad-config naming config.json', async () => {
    await useLiteCopy('bad-marker', (c) => ({ ...c, portrait: { tokenizer: { type: 'wordpiece-v9' } } }));
    const e = await loadError(scratch, 'bad-marker');
    expect(e.code).toBe('model/bad-config');
    expect(e.file).toBe('bad-marker/config.json');
  });

  test('an unknown model folder: model/not-found naming its config.json', async () => {
    const e = await loadError(root, 'no-such-model');
    expect(e.code).toBe('model/not-found');
    expect(e.file).toBe('no-such-model/config.json');
  });

  test('a truncated .onnx: model/truncated naming the file', async () => {
    await copyModel('truncated');
    await truncate(join(scratch, 'truncated', 'onnx', 'model_quantized.onnx'), 1000);
    const e = await loadError(scratch, 'truncated');
    expect(e.code).toBe('model/truncated');
    expect(e.file).toBe('truncated/onnx/model_quantized.onnx');
  });

  test('a config.json with a wrong dimension: model/bad-config naming config.json', async () => {
    const dir = await copyModel('bad-dim');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { hidden_size: number };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 768 }));
    const e = await loadError(scratch, 'bad-dim');
    expect(e.code).toBe('model/bad-config');
    expect(e.file).toBe('bad-dim/config.json');
  });

  test('a config.json with a wrong dimension and no manifest is caught by the probe vector', async () => {
    const dir = await copyModel('bad-dim-unverified');
    await rm(join(dir, 'manifest.json'));
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as { hidden_size: number };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_size: 768 }));
    const e = await loadError(scratch, 'bad-dim-unverified');
    expect(e.code).toBe('model/bad-config');
    expect(e.file).toBe('bad-dim-unverified/config.json');
  });

  test('bytes that do not match the manifest sha256: model/sha-mismatch naming the file', async () => {
    const dir = await copyModel('tampered');
    const path = join(dir, 'onnx', 'model_quantized.onnx');
    const bytes = await readFile(path);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    await writeFile(path, bytes);
    const e = await loadError(scratch, 'tampered');
    expect(e.code).toBe('model/sha-mismatch');
    expect(e.file).toBe('tampered/onnx/model_quantized.onnx');
  });

  test('errors cross a worker boundary as plain data (structured clone) and come back typed', async () => {
    const e = await loadError(root, 'no-such-model');
    const cloned = structuredClone(e.toData()) as EncoderErrorData;
    expect(isEncoderErrorData(cloned)).toBe(true);
    const back = EncoderError.fromData(cloned);
    expect(back).toBeInstanceOf(EncoderError);
    expect({ code: back.code, file: back.file, message: back.message }).toEqual({
      code: 'model/not-found',
      file: 'no-such-model/config.json',
      message: e.message,
    });
  });
});
