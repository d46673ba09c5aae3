/**
 * `config.json` → `portrait.tokenizer` in a folder whose ids must come from
 * UnigramTokenizer (the USE reference's exact rules) over tokenizer.json's
 * vocabulary, not from tokenizer.json through transformers.js. The converter
 * writes it; folders without it (any BERT folder) use transformers.js' tokenizer.
 */
export interface TokenizerMarker {
  readonly type: typeof USE_UNIGRAM;
  /** Leading vocabulary entries that are never matched against text. */
  readonly reserved_ids: number;
}

export const USE_UNIGRAM = 'use-unigram';
