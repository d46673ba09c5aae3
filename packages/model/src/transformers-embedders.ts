import type { BatchEmbedder } from './batch-embedder.ts';
import { EncoderError } from './encoder-error.ts';
import { meanPoolNormalize } from './mean-pooling.ts';
import { encodeBatch, type FolderTokenizer } from './tokenizer/folder-tokenizer.ts';
import type { VerifiedModel } from './verify-model.ts';

/** transformers.js, imported only on the paths that run through it (WebGPU, Node's `cpu`, BERT folders). */
export type Transformers = typeof import('@huggingface/transformers');

/** How transformers.js should run a folder: its dtype and device. */
export interface PipelineOptions {
  readonly dtype: 'q8' | 'fp32';
  readonly device: 'wasm' | 'webgpu' | 'cpu';
}

/** Any folder in the transformers.js layout: its tokenizer.json, model and pooling, through the pipeline. */
export async function pipelineEmbedder(
  tf: Transformers,
  model: VerifiedModel,
  o: PipelineOptions,
  onnxFile: string,
): Promise<BatchEmbedder> {
  const extractor = await tf.pipeline('feature-extraction', model.modelId, o).catch((e: unknown) => {
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
export async function ownTokenizerEmbedder(
  tf: Transformers,
  model: VerifiedModel,
  o: PipelineOptions,
  onnxFile: string,
  tokenizer: FolderTokenizer,
): Promise<BatchEmbedder> {
  const net = await tf.AutoModel.from_pretrained(model.modelId, o).catch((e: unknown) => {
    throw new EncoderError('model/load-failed', `${model.modelId}/${onnxFile}`, String(e));
  });
  return {
    async embed(batch) {
      const { ids, mask, dims } = encodeBatch(tokenizer, batch);
      const out = (await net.forward({
        input_ids: new tf.Tensor('int64', ids, [...dims]),
        attention_mask: new tf.Tensor('int64', mask, [...dims]),
      })) as { last_hidden_state?: InstanceType<Transformers['Tensor']> };
      const hidden = out.last_hidden_state;
      if (!hidden) throw new EncoderError('model/load-failed', `${model.modelId}/${onnxFile}`, 'no last_hidden_state');
      return meanPoolNormalize(hidden.data as Float32Array, hidden.dims, mask);
    },
    dispose: () => net.dispose(),
  };
}
