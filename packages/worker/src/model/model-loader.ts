/// <reference path="./vite-env.d.ts" />
// The runtimes' WASM files are emitted by Vite next to the worker and loaded from the merchant's
// origin; transformers.js would otherwise point them at a CDN. Only the build the load takes is
// fetched: the WASM-only one (14 MB, 3.7 MB gzipped) for the bundled model on WASM, the asyncify
// one (27 MB, 6.8 MB gzipped) that transformers.js needs for WebGPU and BERT folders.
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import wasmOnlyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
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
  onProgress: (p: ModelProgress) => void,
): Promise<LoadedModel> {
  const started = performance.now();
  // The loader is its own chunk, fetched only now; it imports the runtime it takes in another.
  const { loadEncoder } = await import('@portrait/model');
  try {
    // loadEncoder is the one writer of onnxruntime's settings; this module only chooses them.
    const encoder = await loadEncoder({
      baseUrl: config.baseUrl,
      modelId: config.modelId,
      dtype: config.dtype,
      device: choice.backend,
      numThreads: choice.threads,
      wasmPaths: { wasmOnly: wasmOnlyWasm, asyncify: { mjs: asyncifyMjs, wasm: asyncifyWasm } },
      source: cachedModelSource(config.baseUrl, onProgress),
    });
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
