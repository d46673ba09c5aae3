import { EncoderError } from '../encoder-error.ts';
import type { VerifiedModel } from '../verify-model.ts';
import { type TokenizerMarker, USE_UNIGRAM } from './marker.ts';
import { UnigramTokenizer, type VocabEntry } from './unigram.ts';

/** Our tokenizer for a folder whose config.json asks for it, and the length inputs are cut to. */
export interface FolderTokenizer {
  readonly tokenizer: UnigramTokenizer;
  /** tokenizer_config.json's model_max_length: where transformers.js truncates, and the positions the graph keeps. */
  readonly maxLength: number;
}

/** Right-padded int64 model inputs for one batch, `[rows, width]`. */
export interface BatchInputs {
  readonly ids: BigInt64Array;
  readonly mask: BigInt64Array;
  readonly dims: readonly [rows: number, width: number];
}

function json(model: VerifiedModel, path: string): unknown {
  const bytes = model.files.get(path);
  if (!bytes)
    throw new EncoderError('model/not-found', `${model.modelId}/${path}`, 'file missing from the model folder');
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new EncoderError('model/bad-config', `${model.modelId}/${path}`, 'not valid JSON');
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const isVocabEntry = (v: unknown): v is VocabEntry =>
  Array.isArray(v) && typeof v[0] === 'string' && (typeof v[1] === 'number' || v[1] === null);

function marker(model: VerifiedModel): TokenizerMarker | undefined {
  const config = json(model, 'config.json');
  const portrait = isRecord(config) ? config.portrait : undefined;
  const m = isRecord(portrait) ? portrait.tokenizer : undefined;
  if (m === undefined) return undefined;
  if (!isRecord(m) || m.type !== USE_UNIGRAM || !Number.isInteger(m.reserved_ids) || Number(m.reserved_ids) < 0) {
    throw new EncoderError(
      'model/bad-config',
      `${model.modelId}/config.json`,
      `portrait.tokenizer is not { type: '${USE_UNIGRAM}', reserved_ids }`,
    );
  }
  return { type: USE_UNIGRAM, reserved_ids: Number(m.reserved_ids) };
}

/**
 * The tokenizer a verified folder asks for in config.json (`portrait.tokenizer`),
 * built from the Unigram vocabulary in its tokenizer.json; undefined when the
 * folder does not ask (transformers.js' own tokenizer then applies).
 */
export function folderTokenizer(model: VerifiedModel): FolderTokenizer | undefined {
  const m = marker(model);
  if (!m) return undefined;
  const tokenizerJson = json(model, 'tokenizer.json');
  const unigram = isRecord(tokenizerJson) ? tokenizerJson.model : undefined;
  if (!isRecord(unigram) || unigram.type !== 'Unigram' || !Array.isArray(unigram.vocab)) {
    throw new EncoderError('model/bad-config', `${model.modelId}/tokenizer.json`, 'model is not a Unigram vocabulary');
  }
  const vocab: unknown[] = unigram.vocab;
  const unkId = unigram.unk_id;
  if (!vocab.every(isVocabEntry) || typeof unkId !== 'number' || !Number.isInteger(unkId) || unkId < 0) {
    throw new EncoderError('model/bad-config', `${model.modelId}/tokenizer.json`, 'malformed Unigram vocab or unk_id');
  }
  const config = json(model, 'tokenizer_config.json');
  const maxLength = isRecord(config) ? config.model_max_length : undefined;
  if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength <= 0) {
    throw new EncoderError(
      'model/bad-config',
      `${model.modelId}/tokenizer_config.json`,
      'model_max_length is not a positive integer',
    );
  }
  return { tokenizer: new UnigramTokenizer(vocab, m.reserved_ids, unkId), maxLength };
}

/**
 * Tokenizes, truncates to maxLength and right-pads to the longest row, as
 * transformers.js does with `padding: true, truncation: true`. Padding uses id 0
 * (the unknown piece, which tokenizer_config.json names as pad_token); the mask
 * hides it from attention and pooling.
 */
export function encodeBatch({ tokenizer, maxLength }: FolderTokenizer, texts: readonly string[]): BatchInputs {
  const rows = texts.map((t) => tokenizer.encode(t).slice(0, maxLength));
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const ids = new BigInt64Array(rows.length * width);
  const mask = new BigInt64Array(rows.length * width);
  rows.forEach((row, i) => {
    row.forEach((id, j) => {
      ids[i * width + j] = BigInt(id);
      mask[i * width + j] = 1n;
    });
  });
  return { ids, mask, dims: [rows.length, width] };
}
