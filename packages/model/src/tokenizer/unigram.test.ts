import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../convert/prng.ts';
import { loadReferenceTokenizerClass } from '../reference/use-tfjs.ts';
import { normalise, UnigramTokenizer, type VocabEntry } from './unigram.ts';

// Hand-made vocabularies; id 0 is the unknown piece, as in the USE vocabulary.
const UNK: VocabEntry = ['\uFFFD', 0];

/** ids → pieces, to keep expectations readable. */
const pieces = (vocab: readonly VocabEntry[], ids: number[]) => ids.map((id) => vocab[id]?.[0]);

describe('UnigramTokenizer (the USE reference rules) on tiny vocabularies', () => {
  test("an exact tie between permutations ('1'+'11' vs '11'+'1') keeps the later candidate", () => {
    // ▁111: ▁+1+11 and ▁+11+1 both score -6. For the last position the reference
    // tries the piece starting at 2 ('11') before the one starting at 3 ('1') and
    // replaces on >=, so the later start wins; transformers.js keeps the first.
    const vocab: VocabEntry[] = [UNK, ['▁', -1], ['1', -2], ['11', -3]];
    const t = new UnigramTokenizer(vocab, 1);
    expect(pieces(vocab, t.encode('111'))).toEqual(['▁', '11', '1']);
  });

  test('a tie between one piece and two shorter ones keeps the split whose last piece starts later', () => {
    const vocab: VocabEntry[] = [UNK, ['▁', -1], ['a', -1], ['b', -1], ['ab', -2]];
    const t = new UnigramTokenizer(vocab, 1);
    expect(pieces(vocab, t.encode('ab'))).toEqual(['▁', 'a', 'b']);
    // One unit better and the longer piece wins.
    const better: VocabEntry[] = [UNK, ['▁', -1], ['a', -1], ['b', -1], ['ab', -1.5]];
    expect(pieces(better, new UnigramTokenizer(better, 1).encode('ab'))).toEqual(['▁', 'ab']);
  });

  test('a best score of exactly 0 counts as unset: any later candidate replaces it', () => {
    // '▁:' scores 0, the best possible; but 0 is also the reference's "no score yet".
    const vocab: VocabEntry[] = [UNK, ['▁', -1], [':', -1], ['▁:', 0]];
    expect(pieces(vocab, new UnigramTokenizer(vocab, 1).encode(':'))).toEqual(['▁', ':']);
    // Any other score keeps the longer piece.
    const scored: VocabEntry[] = [UNK, ['▁', -1], [':', -1], ['▁:', -0.5]];
    expect(pieces(scored, new UnigramTokenizer(scored, 1).encode(':'))).toEqual(['▁:']);
  });

  test('a null score counts as 0', () => {
    // ▁+x+y scores -1-3+0 = -4 against ▁+xy = -3.
    const vocab: VocabEntry[] = [UNK, ['▁', -1], ['x', -3], ['y', null], ['xy', -2]];
    expect(pieces(vocab, new UnigramTokenizer(vocab, 1).encode('xy'))).toEqual(['▁', 'xy']);
    // ▁+x+y = -1-2+0 ties ▁+xy = -3, and the later start wins the tie.
    const tie: VocabEntry[] = [UNK, ['▁', -1], ['x', -2], ['y', null], ['xy', -2]];
    expect(pieces(tie, new UnigramTokenizer(tie, 1).encode('xy'))).toEqual(['▁', 'x', 'y']);
  });

  test('characters without a piece become id 0, free of cost, and runs of them one id 0', () => {
    const vocab: VocabEntry[] = [UNK, ['▁', -1], ['a', -1]];
    const t = new UnigramTokenizer(vocab, 1);
    expect(t.encode('a??a')).toEqual([1, 2, 0, 2]);
    // An astral character is two UTF-16 code units, each unknown: still one id 0.
    expect(t.encode('a😀')).toEqual([1, 2, 0]);
    expect(t.encode('😀 a')).toEqual([1, 0, 1, 2]);
  });

  test('a position no piece reaches scores 0, so an unknown from it beats a longer piece over it', () => {
    // Nothing ends at the 'b' of '▁ab' (only 'ab' covers it), and no piece starts at
    // 'b': its unknown edge adds 0 to that unreached position's 0 and wins.
    const vocab: VocabEntry[] = [UNK, ['▁', -1], ['ab', -1]];
    expect(new UnigramTokenizer(vocab, 1).encode('ab')).toEqual([1, 0]);
  });

  test('reserved ids are never matched; of duplicate pieces the last one wins', () => {
    const vocab: VocabEntry[] = [UNK, ['<s>', 0], ['▁', -1], ['<', -2], ['s', -2], ['>', -2], ['s', -1]];
    const t = new UnigramTokenizer(vocab, 2);
    expect(t.encode('<s>')).toEqual([2, 3, 6, 5]);
    expect(new UnigramTokenizer(vocab, 0).encode('<s>')).toEqual([2, 1]);
  });

  test('normalisation: NFKC, "▁" before non-empty text, only U+0020 becomes "▁", no lower-casing', () => {
    expect(normalise('')).toBe('');
    expect(normalise(' a')).toBe('▁▁a');
    expect(normalise('ﬁ Ｆ ½')).toBe('▁fi▁F▁1⁄2');
    expect(normalise('a\tb\nc\u00a0d')).toBe('▁a\tb\nc▁d'); // NFKC maps NBSP to a space first
    expect(normalise('AbC')).toBe('▁AbC');
    expect(new UnigramTokenizer([UNK, ['▁', -1]], 1).encode('')).toEqual([]);
  });

  test('agrees with the reference implementation on 6,000 random strings over 300 random tiny vocabularies', async () => {
    const Reference = await loadReferenceTokenizerClass();
    const next = mulberry32(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    const letters = ['a', 'b', 'c', '▁'];
    const text = ['a', 'b', 'c', '▁', ' ', '😀', ':'];
    const mismatches: string[] = [];
    for (let v = 0; v < 300; v++) {
      const vocab: VocabEntry[] = [UNK];
      for (let i = 0, size = 3 + Math.floor(next() * 12); i < size; i++) {
        const piece = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(letters)).join('');
        // Few distinct scores, so ties, zeros and nulls are common.
        vocab.push([piece, pick([null, 0, 1, -1, -1, -2, -2, -3])]);
      }
      const reserved = Math.floor(next() * 3);
      const ours = new UnigramTokenizer(vocab, reserved);
      const reference = new Reference(
        vocab.map(([p, s]) => [p, s as number]),
        reserved,
      );
      for (let k = 0; k < 20; k++) {
        const s = Array.from({ length: Math.floor(next() * 10) }, () => pick(text)).join('');
        if (JSON.stringify(ours.encode(s)) !== JSON.stringify(reference.encode(s))) {
          mismatches.push(JSON.stringify({ vocab, reserved, s }));
        }
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
