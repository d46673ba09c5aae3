import { cp, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EncoderError, type EncoderErrorData, isEncoderErrorData } from './encoder-error.ts';
import { type LoadEncoderOptions, loadEncoder } from './load-encoder.ts';
import { fileSource } from './node-source.ts';
import { useBuiltModels } from './test-env.ts';

let root = '';
let scratch = '';

/** A copy of the built tiny-bert folder under a scratch root, to damage one file at a time. */
async function copyModel(name: string): Promise<string> {
  await cp(join(root, 'tiny-bert'), join(scratch, name), { recursive: true });
  return join(scratch, name);
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
