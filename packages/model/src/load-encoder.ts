import type { BatchEmbedder } from './batch-embedder.ts';
import { ONNX_FILE, runtimeBuild } from './download-plan.ts';
import { EncoderError } from './encoder-error.ts';
import { httpSource, type ModelSource } from './model-source.ts';
import { ortSessionEmbedder } from './ort-session-embedder.ts';
import { type FolderTokenizer, folderTokenizer } from './tokenizer/folder-tokenizer.ts';
import {
  ownTokenizerEmbedder,
  type PipelineOptions,
  pipelineEmbedder,
  type Transformers,
} from './transformers-embedders.ts';
import { servedFromMemory } from './verified-cache.ts';
import { type VerifiedModel, verifyModel } from './verify-model.ts';

/** Where and how to load a model folder in the transformers.js layout. */
export interface LoadEncoderOptions {
  /** URL (or path) of the models root holding `<modelId>/…`, e.g. `/models/`. */
  readonly baseUrl: string;
  readonly modelId: string;
  /** `q8` loads onnx/model_quantized.onnx, `fp32` onnx/model.onnx. Default `q8`. */
  readonly dtype?: 'q8' | 'fp32';
  /** `wasm` / `webgpu` in browsers and workers; `cpu` (onnxruntime-node) in Node. Default `wasm`. */
  readonly device?: 'wasm' | 'webgpu' | 'cpu';
  /** Reads the files to verify; defaults to fetch below baseUrl. */
  readonly source?: ModelSource;
  /**
   * Sentences per inference call. Default 1 for `q8`: its activations are quantized with one
   * scale per call, so a text's vector would depend on the texts batched with it (and on their
   * padding); single-threaded WASM runs as many sentences per second either way. 32 for `fp32`.
   */
  readonly batchSize?: number;
  /** onnxruntime-web threads; default 1 (a storefront page is not cross-origin isolated). */
  readonly numThreads?: number;
  /**
   * Where each onnxruntime-web build's files are; default: the copies the bundler emitted, never a
   * CDN. `wasmOnly` (the .wasm of `onnxruntime-web/wasm`) runs `wasm` loads of folders with their
   * own tokenizer; `asyncify` (glue and .wasm) runs everything through transformers.js.
   */
  readonly wasmPaths?: {
    readonly wasmOnly?: string;
    readonly asyncify?: { readonly mjs: string; readonly wasm: string };
  };
}

/** What onnxruntime-web actually runs on, read after loading (browser devices only). */
export interface RuntimeInfo {
  readonly device: string;
  readonly wasmThreads: number | undefined;
}

/** A loaded sentence encoder: mean-pooled, L2-normalised vectors of length `dim`. */
export interface Encoder {
  readonly modelId: string;
  readonly dim: number;
  readonly verified: boolean;
  runtime(): RuntimeInfo;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** The runtime a load runs on, imported only when that path is taken (each is its own chunk). */
type Runtime =
  | { readonly kind: 'wasm-only'; readonly ort: typeof import('onnxruntime-web/wasm') }
  | { readonly kind: 'transformers'; readonly tf: Transformers };

// The one place that writes onnxruntime's and transformers.js' global settings: a second writer
// would silently undo these (threads, wasm paths) for every later session.
function configureRuntime(runtime: Runtime, model: VerifiedModel, o: LoadEncoderOptions): void {
  if (runtime.kind === 'wasm-only') {
    const wasm = runtime.ort.env.wasm;
    wasm.numThreads = o.numThreads ?? 1;
    // The glue is bundled into onnxruntime-web/wasm: only the .wasm's URL is given.
    if (o.wasmPaths?.wasmOnly) wasm.wasmPaths = { wasm: o.wasmPaths.wasmOnly };
    wasm.proxy = false;
    return;
  }
  const env = runtime.tf.env;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = o.baseUrl;
  // Model bytes come verified from our source; transformers.js must not keep a second copy.
  env.useBrowserCache = false;
  const wasm = env.backends.onnx.wasm;
  if (wasm && o.device !== 'cpu') {
    wasm.numThreads = o.numThreads ?? 1;
    const paths = o.wasmPaths?.asyncify;
    wasm.wasmPaths = paths ? { ...paths } : undefined;
    // Inference runs in the caller's thread (a worker already): no second proxy worker.
    wasm.proxy = false;
  }
  servedFromMemory(env, model);
}

async function loadRuntime(wasmOnly: boolean): Promise<Runtime> {
  return wasmOnly
    ? { kind: 'wasm-only', ort: await import('onnxruntime-web/wasm') }
    : { kind: 'transformers', tf: await import('@huggingface/transformers') };
}

/**
 * Verifies a model folder (see verifyModel), then runs it from the verified
 * bytes: with our tokenizer when config.json names one (`portrait.tokenizer`,
 * written by the converter for USE-Lite, whose reference tokenizer has rules
 * transformers.js' Unigram does not reproduce), else as a transformers.js
 * feature-extraction pipeline. Checks one probe vector has config.json's hidden_size.
 */
export async function loadEncoder(o: LoadEncoderOptions): Promise<Encoder> {
  const onnxFile = ONNX_FILE[o.dtype ?? 'q8'];
  const model = await verifyModel(o.source ?? httpSource(o.baseUrl), o.modelId, onnxFile);
  const tokenizer = folderTokenizer(model);
  const device = o.device ?? 'wasm';
  // Our tokenizer in front of a plain session needs nothing of transformers.js, and the
  // WASM-only build is half the asyncify one transformers.js' entry requires.
  // runtimeBuild is the decision download plans count the runtime's .wasm by.
  const runtime = await loadRuntime(runtimeBuild(device, tokenizer !== undefined) === 'wasm-only');
  configureRuntime(runtime, model, o);
  const embedder = await batchEmbedder(runtime, model, { dtype: o.dtype ?? 'q8', device }, onnxFile, tokenizer);
  const batchSize = o.batchSize ?? ((o.dtype ?? 'q8') === 'q8' ? 1 : 32);
  const run = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize) {
      out.push(...(await embedder.embed(texts.slice(i, i + batchSize))));
    }
    return out;
  };
  const [probe] = await run(['probe']);
  if (probe?.length !== model.dim) {
    await embedder.dispose();
    throw new EncoderError(
      'model/bad-config',
      `${o.modelId}/config.json`,
      `hidden_size ${model.dim} but the model produces ${probe?.length}`,
    );
  }
  return {
    modelId: o.modelId,
    dim: model.dim,
    verified: model.verified,
    runtime: () => runtimeInfo(runtime, device),
    embed(texts) {
      const empty = texts.findIndex((t) => t.length === 0);
      if (empty >= 0) {
        // An empty text has no tokens, so mean pooling has nothing to average.
        return Promise.reject(new EncoderError('input/empty', `${o.modelId}`, `text ${empty} is empty`));
      }
      return run(texts);
    },
    dispose: async () => {
      await embedder.dispose();
    },
  };
}

function batchEmbedder(
  runtime: Runtime,
  model: VerifiedModel,
  o: PipelineOptions,
  onnxFile: string,
  tokenizer: FolderTokenizer | undefined,
): Promise<BatchEmbedder> {
  if (runtime.kind === 'wasm-only' && tokenizer) {
    const onnx = model.files.get(onnxFile) ?? new Uint8Array();
    return ortSessionEmbedder(runtime.ort, onnx, tokenizer, `${model.modelId}/${onnxFile}`);
  }
  if (runtime.kind !== 'transformers') throw new Error('the WASM-only runtime runs own-tokenizer folders only');
  return tokenizer
    ? ownTokenizerEmbedder(runtime.tf, model, o, onnxFile, tokenizer)
    : pipelineEmbedder(runtime.tf, model, o, onnxFile);
}

function runtimeInfo(runtime: Runtime, device: string): RuntimeInfo {
  const wasm = runtime.kind === 'wasm-only' ? runtime.ort.env.wasm : runtime.tf.env.backends.onnx.wasm;
  return { device, wasmThreads: wasm?.numThreads };
}
