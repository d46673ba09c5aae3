import type { TokenizerFiles } from './use-lite-tokenizer.ts';

export const TINY_BERT_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS =
  'the and of set bag red blue pink white black heart christmas light box card mug vintage glass paper cake tin ' +
  'holder bottle water hot sign wall clock lunch jumbo retro spot party garden flower star tea cup';

/** A small WordPiece vocabulary: specials, characters, some retail words, '##' continuations. */
export function tinyBertVocab(): string[] {
  const chars = [...'abcdefghijklmnopqrstuvwxyz0123456789', ...".,!?'-&/()"];
  const continuations = [...'abcdefghijklmnopqrstuvwxyz0123456789'].map((c) => `##${c}`);
  return [...TINY_BERT_SPECIALS, ...chars, ...WORDS.split(' '), ...continuations, '##s', '##ing', '##ed'].filter(
    (t, i, all) => all.indexOf(t) === i,
  );
}

/** Standard uncased BERT tokenizer files (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] … [SEP]). */
export function tinyBertTokenizer(vocab: readonly string[], maxLength: number): TokenizerFiles {
  const id = (t: string) => vocab.indexOf(t);
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: TINY_BERT_SPECIALS.map((content) => ({
        id: id(content),
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: {
        type: 'BertProcessing',
        sep: ['[SEP]', id('[SEP]')],
        cls: ['[CLS]', id('[CLS]')],
      },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      },
    },
    tokenizerConfig: {
      tokenizer_class: 'BertTokenizer',
      do_lower_case: true,
      model_max_length: maxLength,
      cls_token: '[CLS]',
      sep_token: '[SEP]',
      pad_token: '[PAD]',
      unk_token: '[UNK]',
      mask_token: '[MASK]',
      clean_up_tokenization_spaces: true,
    },
  };
}
