import type { ModelFolder } from './model-folder.ts';
import { buildTinyBertOnnx, TINY_BERT } from './tiny-bert-graph.ts';
import { tinyBertTokenizer, tinyBertVocab } from './tiny-bert-tokenizer.ts';

const SEED = 20240531;

/** The random-weight BERT fixture folder. */
export function tinyBertFolder(): ModelFolder {
  const vocab = tinyBertVocab();
  const { tokenizer, tokenizerConfig } = tinyBertTokenizer(vocab, TINY_BERT.maxPositions);
  return {
    modelId: 'tiny-bert',
    dim: TINY_BERT.hidden,
    config: {
      model_type: 'bert',
      architectures: ['BertModel'],
      hidden_size: TINY_BERT.hidden,
      vocab_size: vocab.length,
      num_hidden_layers: TINY_BERT.layers,
      num_attention_heads: TINY_BERT.heads,
      intermediate_size: TINY_BERT.intermediate,
      max_position_embeddings: TINY_BERT.maxPositions,
      type_vocab_size: TINY_BERT.typeVocab,
      hidden_act: 'gelu',
      portrait: { note: 'random weights from a seeded PRNG: a test fixture, not a trained model' },
    },
    tokenizer,
    tokenizerConfig,
    fp32: buildTinyBertOnnx(vocab.length, 'fp32', SEED),
    int8: buildTinyBertOnnx(vocab.length, 'int8', SEED),
  };
}
