import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import type { TextEmbedder } from './text-embedder.ts';

/** The built model folder (`pnpm --filter @portrait/model build` writes it). */
export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'model', 'dist', 'models');

// Texts of different lengths in one call: their vectors change with the model files, the tokenizer,
// the runtime and with how the encoder batches (q8's per-call scale), all of which key the cache.
const PROBE_TEXTS = ['running shoes', 'a saucepan with a glass lid', 'WHITE HANGING HEART T-LIGHT HOLDER'];

/**
 * The bundled encoder through the same loader the worker uses (verified files, int8 by default).
 * Node runs it on onnxruntime-node (`cpu`): the same ONNX graph as the browser's WASM build, and
 * measured faster here for a one-off catalogue pass. Its id carries a fingerprint of the vectors it
 * gives for probe texts, so embeddings cached by an older model or encoder are never reused.
 */
export async function realEmbedder(modelId: string, dtype: 'q8' | 'fp32' = 'q8'): Promise<TextEmbedder> {
  const encoder = await loadEncoder({
    baseUrl: MODELS_DIR,
    modelId,
    dtype,
    device: 'cpu',
    source: fileSource(MODELS_DIR),
  });
  const probe = await encoder.embed(PROBE_TEXTS);
  const fingerprint = createHash('sha256');
  for (const v of probe) fingerprint.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return {
    id: `${modelId}@${dtype}-${fingerprint.digest('hex').slice(0, 12)}`,
    dim: encoder.dim,
    embed: (texts) => encoder.embed(texts),
    dispose: () => encoder.dispose(),
  };
}
