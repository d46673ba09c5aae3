/** Files transformers.js reads for a tokenizer, as JSON-ready objects. */
export interface TokenizerFiles {
  readonly tokenizer: object;
  readonly tokenizerConfig: object;
}

/** The reference reserves ids 0-5 (unk, control symbols) and never matches them against text. */
export const RESERVED_IDS = 6;

/**
 * A Unigram tokenizer.json that reproduces the USE package's tokenizer for plain
 * transformers.js users: NFKC, every ' ' (only U+0020, not other whitespace)
 * becomes '▁', '▁' is prepended to any non-empty text, no lower-casing, no
 * pre-tokenizer split, no special tokens added, consecutive unknowns fused into
 * one id 0. The reserved pieces are renamed with a leading ASCII space:
 * normalised text never contains one, so, as in the reference, they can never be
 * matched. Where two segmentations score exactly the same, transformers.js keeps
 * a different one than the reference; the loader's UnigramTokenizer (over this
 * same vocabulary) does not.
 */
export function useLiteTokenizer(
  vocabulary: readonly (readonly [string, number])[],
  maxLength: number,
): TokenizerFiles {
  const vocab = vocabulary.map(([piece, score], i): [string, number] => [
    i < RESERVED_IDS ? ` <reserved_${i}>` : piece,
    score,
  ]);
  const unk = vocab[0]?.[0] ?? '';
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [],
      normalizer: {
        type: 'Sequence',
        normalizers: [
          { type: 'NFKC' },
          { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' },
          { type: 'Prepend', prepend: '\u2581' },
        ],
      },
      pre_tokenizer: null,
      post_processor: null,
      decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
      model: { type: 'Unigram', unk_id: 0, byte_fallback: false, vocab },
    },
    tokenizerConfig: {
      tokenizer_class: 'PreTrainedTokenizerFast',
      model_max_length: maxLength,
      unk_token: unk,
      pad_token: unk,
      clean_up_tokenization_spaces: false,
    },
  };
}
