import type { Dataset } from './types.ts';

// Letters present and none of them lower-case: a shouting title such as "WHITE HANGING HEART".
const shouting = (s: string) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);

/**
 * The data set with all-caps item texts lower-cased. USE-Lite's SentencePiece vocabulary is
 * case-sensitive and learned on ordinary prose, so an all-caps title splits into rare pieces and
 * embeds poorly; this measures what case normalisation in the engine's event text would buy.
 */
export function normaliseCase(ds: Dataset): Dataset {
  const fix = (s: string | undefined) => (s !== undefined && shouting(s) ? s.toLowerCase() : s);
  return {
    ...ds,
    items: ds.items.map((it) => {
      const out = { ...it, title: fix(it.title) as string };
      for (const key of ['category', 'brand', 'description'] as const) {
        const v = fix(it[key]);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }),
  };
}
