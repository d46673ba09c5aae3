import { env } from '@huggingface/transformers';
import { buildModels, MODELS_ROOT } from './convert/build-models.ts';

/** Builds (or reuses) dist/models and points transformers.js at it, offline. */
export async function useBuiltModels(): Promise<string> {
  await buildModels();
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${MODELS_ROOT}/`;
  return MODELS_ROOT;
}
