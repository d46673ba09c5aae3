/// <reference path="./vite-env.d.ts" />
// The runtimes' WASM files are emitted by Vite next to the worker and loaded from the merchant's
// origin; transformers.js would otherwise point them at a CDN. Only the build the load takes is
// fetched: the WASM-only one (14 MB, 3.7 MB gzipped) for the bundled model on WASM, the asyncify
// one (27 MB, 6.8 MB gzipped) that transformers.js needs for WebGPU and BERT folders.

import type { RuntimeBuild } from '@portrait/model';
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import wasmOnlyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { createDownloadProgress, type DownloadProgress, planModelDownload } from './download-progress.ts';
import type { Embedder } from './embedder.ts';
import { cachedModelSource, type ModelProgress, purgeModelCache } from './model-source.ts';
import type { BackendChoice } from './runtime-env.ts';

/** The error code of an inference the WebGPU backend could not run. */
export const BACKEND_FAILED = 'model/backend-failed';

/** Where the model lives and how to run it. */
export interface ModelConfig {
  /** Folder holding `<modelId>/` model folders, on the merchant's origin. */
  baseUrl: string;
  /** Folder name, also the id stored with every vector (e.g. 'use-lite', 'all-MiniLM-L6-v2'). */
  modelId: string;
  dtype: 'q8' | 'fp32';
}

export interface LoadedModel {
  embedder: Embedder;
  loadMs: number;
  /** WASM threads onnxruntime runs with, as it reports them after loading. */
  threads?: number;
}

/** Loads and verifies the encoder on the chosen backend; failures are coded errors naming the file. */
export async function loadModel(
  config: ModelConfig,
  choice: BackendChoice,
  onProgress: (p: DownloadProgress) => void,
): Promise<LoadedModel> {
  const started = performance.now();
  // The loader is its own chunk, fetched only now; it imports the runtime it takes in another.
  const { loadEncoder, planDownload } = await import('@portrait/model');
  const progress = createDownloadProgress(onProgress);
  try {
    // config.json and manifest.json (about 1 kB) are read first: they say which files and which
    // runtime build the load takes, and their sizes, so the first progress event has the total.
    const { source, runtime } = await planModelDownload({
      read: cachedModelSource(config.baseUrl, progress.report),
      plan: (read) => planDownload(read, { modelId: config.modelId, dtype: config.dtype, device: choice.backend }),
      wasm: (build) => {
        const w = runtimeWasm(build);
        return w?.bytes === undefined ? undefined : { file: w.file, bytes: w.bytes };
      },
      progress,
    });
    const wasm = runtimeWasm(runtime);
    // loadEncoder is the one writer of onnxruntime's settings; this module only chooses them.
    const encoder = await loadEncoder({
      baseUrl: config.baseUrl,
      modelId: config.modelId,
      dtype: config.dtype,
      device: choice.backend,
      numThreads: choice.threads,
      wasmPaths: { wasmOnly: wasmOnlyWasm, asyncify: { mjs: asyncifyMjs, wasm: asyncifyWasm } },
      source,
    });
    if (wasm) progress.report(wasmFetched(wasm));
    const embedder: Embedder = {
      modelId: encoder.modelId,
      dim: encoder.dim,
      backend: choice.backend,
      embed:
        choice.backend === 'webgpu'
          ? (texts) =>
              encoder.embed(texts).catch((err: unknown) => {
                // A GPU that fails mid-run (device lost, driver reset) fails every later run too;
                // the engine stops folding on this code. Coded errors (bad input) stay as they are.
                if (typeof err === 'object' && err !== null && 'code' in err) throw err;
                // onnxruntime's messages start with a source path; the cause is at the end.
                const why = String(err);
                throw { code: BACKEND_FAILED, message: `WebGPU inference failed: …${why.slice(-300)}` };
              })
          : (texts) => encoder.embed(texts),
      dispose: () => encoder.dispose(),
    };
    const loaded: LoadedModel = { embedder, loadMs: performance.now() - started };
    const threads = encoder.runtime().wasmThreads;
    if (choice.backend === 'wasm' && threads !== undefined) loaded.threads = threads;
    return loaded;
  } catch (err) {
    // Whatever failed verification must not be served from the cache on the next attempt.
    await purgeModelCache();
    throw err;
  }
}

/** The runtime .wasm a build fetches: its emitted URL, and its size when the build stated it. */
interface RuntimeWasm {
  file: string;
  url: string;
  bytes: number | undefined;
}

function runtimeWasm(build: RuntimeBuild): RuntimeWasm | undefined {
  if (build === 'node') return undefined;
  const url = build === 'wasm-only' ? wasmOnlyWasm : asyncifyWasm;
  const sizes = typeof __PORTRAIT_ORT_WASM_BYTES__ === 'undefined' ? undefined : __PORTRAIT_ORT_WASM_BYTES__;
  return {
    file: url.slice(url.lastIndexOf('/') + 1),
    url,
    bytes: sizes?.[build === 'wasm-only' ? 'wasmOnly' : 'asyncify'],
  };
}

/**
 * The .wasm counted whole once the session exists: onnxruntime fetched and compiled it by then.
 * It is not fetched here with a progress reader and handed over as bytes (env.wasm.wasmBinary):
 * onnxruntime's own fetch compiles while downloading (instantiateStreaming) and lets the browser
 * keep the compiled code for the next page, which bytes handed over would lose. So the bar holds
 * below its total while the .wasm downloads, then completes; it never runs ahead of the bytes.
 */
function wasmFetched(wasm: RuntimeWasm): ModelProgress {
  const timing = resourceTiming(wasm.url);
  const bytes = wasm.bytes ?? timing?.decodedBodySize ?? 0;
  // Served from the HTTP cache: a body with nothing transferred.
  const fromCache = timing !== undefined && timing.transferSize === 0 && timing.decodedBodySize > 0;
  return { file: wasm.file, loaded: bytes, total: bytes, fromCache };
}

function resourceTiming(url: string): PerformanceResourceTiming | undefined {
  try {
    const href = new URL(url, self.location.href).href;
    return performance.getEntriesByName(href, 'resource').at(-1) as PerformanceResourceTiming | undefined;
  } catch {
    return undefined;
  }
}
