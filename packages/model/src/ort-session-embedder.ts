import type { BatchEmbedder } from './batch-embedder.ts';
import { EncoderError } from './encoder-error.ts';
import { meanPoolNormalize } from './mean-pooling.ts';
import { encodeBatch, type FolderTokenizer } from './tokenizer/folder-tokenizer.ts';

/** The part of onnxruntime-web's API a session needs (any of its entries: `onnxruntime-web`, `/wasm`). */
export type OrtRuntime = Pick<typeof import('onnxruntime-web/wasm'), 'InferenceSession' | 'Tensor'>;

/**
 * A folder with its own tokenizer, run on onnxruntime directly: ids from our tokenizer, the
 * graph's `last_hidden_state`, and the pooling transformers.js' feature-extraction pipeline
 * applies (meanPoolNormalize), so the vectors are those of the transformers.js path.
 */
export async function ortSessionEmbedder(
  ort: OrtRuntime,
  onnx: Uint8Array,
  tokenizer: FolderTokenizer,
  file: string,
): Promise<BatchEmbedder> {
  const session = await ort.InferenceSession.create(onnx).catch((e: unknown) => {
    throw new EncoderError('model/load-failed', file, String(e));
  });
  return {
    async embed(batch) {
      const { ids, mask, dims } = encodeBatch(tokenizer, batch);
      const out = await session.run({
        input_ids: new ort.Tensor('int64', ids, [...dims]),
        attention_mask: new ort.Tensor('int64', mask, [...dims]),
      });
      const hidden = out.last_hidden_state;
      if (!hidden) throw new EncoderError('model/load-failed', file, 'no last_hidden_state');
      return meanPoolNormalize(hidden.data as Float32Array, hidden.dims, mask);
    },
    dispose: () => session.release(),
  };
}
