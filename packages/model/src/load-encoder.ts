import { AutoModel, env, pipeline, Tensor } from '@huggingface/transformers';
import { EncoderError } from './encoder-error.ts';
import { meanPoolNormalize } from './mean-pooling.ts';
import { httpSource, type ModelSource } from './model-source.ts';
import { encodeBatch, type FolderTokenizer, folderTokenizer } from './tokenizer/folder-tokenizer.ts';
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
   * Where onnxruntime-web fetches its glue and .wasm (a folder, or the two files' URLs); default
   * undefined = the copy the bundler emitted, never a CDN.
   */
  readonly wasmPaths?: string | { readonly mjs: string; readonly wasm: string };
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

const ONNX_FILE = { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' } as const;

/** One inference call: sentence vectors for a batch, and the session to release. */
interface BatchEmbedder {
  embed(batch: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<unknown>;
}

// The one place that writes onnxruntime's and transformers.js' global settings: a second writer
// would silently undo these (threads, wasm paths) for every later session.
function configureRuntime(model: VerifiedModel, o: LoadEncoderOptions): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = o.baseUrl;
  // Model bytes come verified from our source; transformers.js must not keep a second copy.
  env.useBrowserCache = false;
  const wasm = env.backends.onnx.wasm;
  if (wasm && o.device !== 'cpu') {
    wasm.numThreads = o.numThreads ?? 1;
    wasm.wasmPaths = typeof o.wasmPaths === 'object' ? { ...o.wasmPaths } : o.wasmPaths;
    // Inference runs in the caller's thread (a worker already): no second proxy worker.
    wasm.proxy = false;
  }
  servedFromMemory(model);
}

/** Any folder in the transformers.js layout: its tokenizer.json, model and pooling, through the pipeline. */
async function pipelineEmbedder(model: VerifiedModel, o: LoadEncoderOptions, onnxFile: string): Promise<BatchEmbedder> {
  const extractor = await pipeline('feature-extraction', model.modelId, {
    dtype: o.dtype ?? 'q8',
    device: o.device ?? 'wasm',
  }).catch((e: unknown) => {
    throw new EncoderError('model/load-failed', `${model.modelId}/${onnxFile}`, String(e));
  });
  return {
    async embed(batch) {
      const t = await extractor([...batch], { pooling: 'mean', normalize: true });
      const data = t.data as Float32Array;
      const dim = t.dims[1] ?? 0;
      return batch.map((_, j) => data.slice(j * dim, (j + 1) * dim));
    },
    dispose: () => extractor.dispose(),
  };
}

/**
 * A folder that names its own tokenizer (USE-Lite): ids from UnigramTokenizer,
 * the same model transformers.js would load, and the pipeline's pooling.
 */
async function ownTokenizerEmbedder(
  model: VerifiedModel,
  o: LoadEncoderOptions,
  onnxFile: string,
  tokenizer: FolderTokenizer,
): Promise<BatchEmbedder> {
  const net = await AutoModel.from_pretrained(model.modelId, {
    dtype: o.dtype ?? 'q8',
    device: o.device ?? 'wasm',
  }).catch((e: unknown) => {
    throw new EncoderError('model/load-failed', `${model.modelId}/${onnxFile}`, String(e));
  });
  return {
    async embed(batch) {
      const { ids, mask, dims } = encodeBatch(tokenizer, batch);
      const out = (await net.forward({
        input_ids: new Tensor('int64', ids, [...dims]),
        attention_mask: new Tensor('int64', mask, [...dims]),
      })) as { last_hidden_state?: Tensor };
      const hidden = out.last_hidden_state;
      if (!hidden) throw new EncoderError('model/load-failed', `${model.modelId}/${onnxFile}`, 'no last_hidden_state');
      return meanPoolNormalize(hidden.data as Float32Array, hidden.dims, mask);
    },
    dispose: () => net.dispose(),
  };
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
  configureRuntime(model, o);
  const embedder = tokenizer
    ? await ownTokenizerEmbedder(model, o, onnxFile, tokenizer)
    : await pipelineEmbedder(model, o, onnxFile);
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
    runtime: () => runtimeInfo(o.device ?? 'wasm'),
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

function runtimeInfo(device: string): RuntimeInfo {
  return { device, wasmThreads: env.backends.onnx.wasm?.numThreads };
}
