import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import type { TextEmbedder } from './text-embedder.ts';

/** The built model folder (`pnpm --filter @portrait/model build` writes it). */
export const MODELS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'model', 'dist', 'models');

/**
 * The bundled encoder through the same loader the worker uses (verified files, int8 by default).
 * Node runs it on onnxruntime-node (`cpu`): the same ONNX graph as the browser's WASM build, and
 * measured faster here for a one-off catalogue pass.
 */
export async function realEmbedder(modelId: string, dtype: 'q8' | 'fp32' = 'q8'): Promise<TextEmbedder> {
  const encoder = await loadEncoder({
    baseUrl: MODELS_DIR,
    modelId,
    dtype,
    device: 'cpu',
    source: fileSource(MODELS_DIR),
  });
  return {
    id: `${modelId}@${dtype}`,
    dim: encoder.dim,
    embed: (texts) => encoder.embed(texts),
    dispose: () => encoder.dispose(),
  };
}
