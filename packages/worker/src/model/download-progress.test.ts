import { planDownload, verifyModel } from '@portrait/model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDownloadProgress, type DownloadProgress, planModelDownload } from './download-progress.ts';
import { cachedModelSource } from './model-source.ts';

afterEach(() => vi.unstubAllGlobals());

const BASE = 'https://shop.test/portrait/models/';
const WASM = { file: 'ort-wasm-simd-threaded-abc123.wasm', bytes: 14_264_838 };
const ASYNCIFY = { file: 'ort-wasm-simd-threaded.asyncify-def456.wasm', bytes: 26_861_777 };

const hex = async (b: Uint8Array) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b as Uint8Array<ArrayBuffer>)))
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('');

/** A small model folder as the build writes one: files plus a manifest with their sizes and hashes. */
async function folder(modelId: string, ownTokenizer: boolean, withManifest = true): Promise<Map<string, Uint8Array>> {
  const text = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const files = new Map<string, Uint8Array>([
    ['config.json', text({ hidden_size: 4, ...(ownTokenizer ? { portrait: { tokenizer: { type: 'x' } } } : {}) })],
    ['tokenizer.json', text({ model: { vocab: Array.from({ length: 500 }, (_, i) => [`w${i}`, -i]) } })],
    ['tokenizer_config.json', text({ model_max_length: 128 })],
    ['onnx/model_quantized.onnx', new Uint8Array(200_000).map((_, i) => i % 251)],
  ]);
  const manifest = { modelId, dim: 4, files: [] as { path: string; bytes: number; sha256: string }[] };
  for (const [path, bytes] of files) manifest.files.push({ path, bytes: bytes.length, sha256: await hex(bytes) });
  const out = new Map([...files].map(([p, b]) => [`${modelId}/${p}`, b]));
  if (withManifest) out.set(`${modelId}/manifest.json`, text(manifest));
  return out;
}

/** The merchant's origin, answering with the folder's files in 16 kB chunks (a real body streams). */
function serve(files: Map<string, Uint8Array>) {
  const fetched: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const path = url.slice(BASE.length);
      fetched.push(path);
      const bytes = files.get(path);
      if (!bytes) return new Response('not found', { status: 404 });
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (at >= bytes.length) return c.close();
          c.enqueue(bytes.slice(at, at + 16_384));
          at += 16_384;
        },
      });
      return new Response(body, { headers: { 'content-length': String(bytes.length) } });
    }),
  );
  return fetched;
}

/** One load's download as loadModel runs it, up to the session (which needs onnxruntime). */
async function download(modelId: string, device: 'wasm' | 'webgpu', files: Map<string, Uint8Array>) {
  const fetched = serve(files);
  const events: DownloadProgress[] = [];
  const progress = createDownloadProgress((p) => events.push(p));
  const { source, runtime } = await planModelDownload({
    read: cachedModelSource(BASE, progress.report),
    plan: (read) => planDownload(read, { modelId, dtype: 'q8', device }),
    wasm: (build) => (build === 'wasm-only' ? WASM : ASYNCIFY),
    progress,
  });
  await verifyModel(source, modelId, 'onnx/model_quantized.onnx');
  // The session exists: loadModel counts the runtime's .wasm whole.
  const wasm = runtime === 'wasm-only' ? WASM : ASYNCIFY;
  progress.report({ file: wasm.file, loaded: wasm.bytes, total: wasm.bytes, fromCache: false });
  return { events, fetched, runtime };
}

describe('download progress', () => {
  it('the first event carries the whole total (every file read plus the WASM-only .wasm); loaded climbs to it, never past', async () => {
    const files = await folder('use-lite', true);
    const { events, fetched, runtime } = await download('use-lite', 'wasm', files);
    expect(runtime).toBe('wasm-only');
    const fetchedBytes = fetched.reduce((s, p) => s + (files.get(p)?.length ?? 0), 0);
    expect(events[0]?.total).toBe(fetchedBytes + WASM.bytes);
    expect(events.length).toBeGreaterThan(10);
    for (const [i, e] of events.entries()) {
      expect(e.total).toBe(events[0]?.total);
      expect(e.loaded).toBeLessThanOrEqual(e.total);
      if (i > 0) expect(e.loaded).toBeGreaterThanOrEqual(events[i - 1]?.loaded ?? 0);
    }
    expect(events.at(-1)?.loaded).toBe(events[0]?.total);
    // The two small files planned with are read once, not again by the verification.
    expect(fetched.filter((p) => p === 'use-lite/config.json' || p === 'use-lite/manifest.json')).toEqual([
      'use-lite/config.json',
      'use-lite/manifest.json',
    ]);
    // The first event lists every planned file, the large ones not started yet.
    expect(events[0]?.files?.find((f) => f.file === 'use-lite/onnx/model_quantized.onnx')).toMatchObject({
      loaded: 0,
      total: 200_000,
    });
  });

  it('on WebGPU, and for a BERT folder, the total counts the asyncify .wasm instead', async () => {
    const gpu = await download('use-lite', 'webgpu', await folder('use-lite', true));
    expect(gpu.runtime).toBe('asyncify');
    expect(gpu.events[0]?.files?.map((f) => f.file)).toContain(ASYNCIFY.file);
    expect(gpu.events[0]?.files?.map((f) => f.file)).not.toContain(WASM.file);
    const bert = await download('tiny', 'wasm', await folder('tiny', false));
    expect(bert.runtime).toBe('asyncify');
    expect(bert.events[0]?.total).toBe(bert.events.at(-1)?.loaded);
  });

  it('nothing is emitted before the plan; a cached file counts whole at once', () => {
    const events: DownloadProgress[] = [];
    const progress = createDownloadProgress((p) => events.push(p));
    progress.report({ file: 'm/config.json', loaded: 500, total: 500, fromCache: false });
    expect(events).toEqual([]);
    progress.plan([
      { file: 'm/config.json', bytes: 500 },
      { file: 'm/onnx/model.onnx', bytes: 9_500 },
    ]);
    expect(events[0]).toMatchObject({ loaded: 500, total: 10_000 });
    progress.report({ file: 'm/onnx/model.onnx', loaded: 9_500, total: 9_500, fromCache: true });
    expect(events.at(-1)).toMatchObject({ loaded: 10_000, total: 10_000 });
    expect(events.at(-1)?.files?.find((f) => f.file === 'm/onnx/model.onnx')?.fromCache).toBe(true);
  });

  it('a file longer than its manifest says never pushes loaded past the total (verification rejects it)', () => {
    const events: DownloadProgress[] = [];
    const progress = createDownloadProgress((p) => events.push(p));
    progress.plan([{ file: 'm/onnx/model.onnx', bytes: 1_000 }]);
    progress.report({ file: 'm/onnx/model.onnx', loaded: 5_000, total: 5_000, fromCache: false });
    expect(events.at(-1)).toMatchObject({ loaded: 1_000, total: 1_000 });
  });

  it('a folder without manifest.json: the .wasm is known up front, the folder adds as its files start', async () => {
    const files = await folder('bare', true, false);
    const { events } = await download('bare', 'wasm', files);
    expect(events[0]?.total).toBeGreaterThanOrEqual(WASM.bytes);
    for (const e of events) expect(e.loaded).toBeLessThanOrEqual(e.total);
    expect(events.at(-1)?.loaded).toBe(events.at(-1)?.total);
  });
});
