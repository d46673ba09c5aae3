import { pipeline } from '@huggingface/transformers';
import { beforeAll, describe, expect, test } from 'vitest';
import { tinyBertVocab } from './convert/tiny-bert-tokenizer.ts';
import { cosine } from './eval/similarity.ts';
import { loadReferenceEncoder } from './reference/use-tfjs.ts';
import { useBuiltModels } from './test-env.ts';

const TEXTS = ['WHITE HANGING HEART T-LIGHT HOLDER', 'red retro spot tea cup', 'Crème brûlée 🍕 東京'];

describe('the folder with plain transformers.js (no loader, no manifest check)', () => {
  beforeAll(useBuiltModels);

  test("pipeline('feature-extraction', 'use-lite', { dtype }) with mean pooling + normalize gives the TF.js vectors", async () => {
    const reference = await (await loadReferenceEncoder()).embed(TEXTS);
    for (const dtype of ['fp32', 'q8'] as const) {
      const extract = await pipeline('feature-extraction', 'use-lite', { dtype, device: 'cpu' });
      const out = await extract(TEXTS, { pooling: 'mean', normalize: true });
      expect(out.dims).toEqual([TEXTS.length, 512]);
      const data = out.data as Float32Array;
      TEXTS.forEach((_, i) => {
        const c = cosine(data.slice(i * 512, (i + 1) * 512), reference[i] ?? new Float32Array());
        expect(c).toBeGreaterThanOrEqual(dtype === 'fp32' ? 0.9999 : 0.99);
      });
      await extract.dispose();
    }
  }, 60_000);

  test('tiny-bert loads as a standard BERT folder (WordPiece, [CLS]/[SEP], token_type_ids)', async () => {
    const extract = await pipeline('feature-extraction', 'tiny-bert', { dtype: 'q8', device: 'cpu' });
    const vocab = tinyBertVocab();
    const id = (t: string) => vocab.indexOf(t);
    expect(extract.tokenizer.encode('Red HEART mugs')).toEqual(
      ['[CLS]', 'red', 'heart', 'mug', '##s', '[SEP]'].map(id),
    );
    const out = await extract(['red heart', 'unknownword'], { pooling: 'mean', normalize: true });
    expect(out.dims).toEqual([2, 32]);
    await extract.dispose();
  });
});
