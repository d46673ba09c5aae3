import { mulberry32 } from '../convert/prng.ts';
import { catalogueTitles } from './catalogue.ts';
import { OWN_STRINGS } from './own-strings.ts';

const WORDS = ['red', 'Blue', 'HEART', 'mug', 'café', '東京', '🍕', '12', 'x-ray', "it's", 'Ø', 'glass,', 'tea!', '½'];

/** Deterministic mixed strings, so the corpus keeps its size when the dataset is absent. */
export function syntheticStrings(count: number, seed = 7): string[] {
  const next = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(next() * 8);
    return Array.from({ length: n }, () => WORDS[Math.floor(next() * WORDS.length)]).join(next() < 0.2 ? '  ' : ' ');
  });
}

/** Every catalogue title plus the hand-written strings; at least `min` strings in all. */
export function tokenizerCorpus(min = 1000): string[] {
  const base = [...catalogueTitles(), ...OWN_STRINGS];
  return base.length >= min ? base : [...base, ...syntheticStrings(min - base.length)];
}

/**
 * The strings embedded against TF.js: the first `catalogue` titles (or synthetic
 * stand-ins) plus the non-empty hand-written strings. Empty text has no tokens
 * and no reference vector (the encoder rejects it as 'input/empty').
 */
export function embeddingCorpus(catalogue: number): { titles: string[]; own: string[] } {
  const all = catalogueTitles();
  const titles = all.length > 0 ? all.slice(0, catalogue) : syntheticStrings(catalogue);
  return { titles, own: OWN_STRINGS.filter((s) => s.length > 0) };
}
