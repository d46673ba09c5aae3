/** One vocabulary entry: the piece and its log-probability (null in a few entries of the USE vocabulary). */
export type VocabEntry = readonly [piece: string, score: number | null];

/** The piece every USE text starts with, and what each U+0020 space becomes. */
const SEPARATOR = '\u2581';
/** Trie child key: node index times this plus the UTF-16 code unit. */
const RADIX = 0x10000;

/**
 * NFKC; a non-empty text gets '▁' prepended and every U+0020 (only that space:
 * tabs, newlines and NBSP stay as they are after NFKC) replaced by '▁'.
 */
export function normalise(text: string): string {
  const nfkc = text.normalize('NFKC');
  return nfkc.length > 0 ? SEPARATOR + nfkc.replaceAll(' ', SEPARATOR) : nfkc;
}

/**
 * The Universal Sentence Encoder's tokenizer (the Viterbi port of SentencePiece's
 * `EncodeAsIds` in `@tensorflow-models/universal-sentence-encoder`), reproduced
 * rule for rule so ids are identical, including where it departs from SentencePiece:
 *
 * - Text is matched by UTF-16 code unit (the reference's "chars" are code units),
 *   so an astral character without a piece is two unknowns, fused into one id.
 * - The first `reservedIds` entries are never matched; of duplicate pieces the last wins.
 * - A position where no piece starts gets a one-code-unit unknown edge with score 0
 *   (no penalty); a null score counts as 0 (the reference adds it to a number).
 * - Ties keep the later candidate: for each end position, candidates are tried in
 *   increasing start order and replace the best on `>=`. A best of exactly 0 counts
 *   as unset, so any candidate replaces it, and a position no edge reaches has best 0.
 * - The backward pass steps back by the chosen piece's length, one code unit for the
 *   unknown id (the reference's piece 0, '\uFFFD', is one code unit long), and
 *   consecutive unknowns become one.
 *
 * No special tokens are added and nothing is truncated: `encode` returns every id.
 */
export class UnigramTokenizer {
  private readonly scores: Float64Array;
  private readonly lengths: Int32Array;
  /** Trie: child node by `node * RADIX + code unit`; node 0 is the root. */
  private readonly children = new Map<number, number>();
  /** Piece id ending at each trie node, or -1. */
  private readonly nodeIds: number[] = [-1];

  constructor(
    vocabulary: readonly VocabEntry[],
    reservedIds: number,
    private readonly unknownId = 0,
  ) {
    this.scores = new Float64Array(vocabulary.length);
    this.lengths = new Int32Array(vocabulary.length);
    vocabulary.forEach(([piece, score], id) => {
      this.scores[id] = score ?? 0;
      this.lengths[id] = piece.length;
      if (id >= reservedIds && piece.length > 0) this.insert(piece, id);
    });
  }

  private insert(piece: string, id: number): void {
    let node = 0;
    for (let i = 0; i < piece.length; i++) {
      const key = node * RADIX + piece.charCodeAt(i);
      let child = this.children.get(key);
      if (child === undefined) {
        child = this.nodeIds.length;
        this.nodeIds.push(-1);
        this.children.set(key, child);
      }
      node = child;
    }
    this.nodeIds[node] = id;
  }

  /** Token ids of `text`, exactly as the reference tokenizer returns them. */
  encode(text: string): number[] {
    const s = normalise(text);
    const n = s.length;
    // best[i]: score of the best segmentation of s[0, i); last[i]: id of its final piece.
    const best = new Float64Array(n + 1);
    const last = new Int32Array(n + 1).fill(this.unknownId);
    // Relaxing edges start by start is the reference's end-by-end lattice walk in the
    // same order: for every end, candidates arrive in increasing start order, and
    // best[start] is final before any edge leaves it.
    for (let start = 0; start < n; start++) {
      const base = best[start] ?? 0;
      let matched = false;
      let node = 0;
      for (let end = start; end < n; end++) {
        const child = this.children.get(node * RADIX + s.charCodeAt(end));
        if (child === undefined) break;
        node = child;
        const id = this.nodeIds[node] ?? -1;
        if (id < 0) continue;
        matched = true;
        const score = (this.scores[id] ?? 0) + base;
        const current = best[end + 1] ?? 0;
        if (current === 0 || score >= current) {
          best[end + 1] = score;
          last[end + 1] = id;
        }
      }
      if (!matched) {
        const current = best[start + 1] ?? 0;
        if (current === 0 || base >= current) {
          best[start + 1] = base;
          last[start + 1] = this.unknownId;
        }
      }
    }
    const reversed: number[] = [];
    for (let at = n; at > 0; ) {
      const id = last[at] ?? this.unknownId;
      if (!(id === this.unknownId && reversed.at(-1) === this.unknownId)) reversed.push(id);
      at -= id === this.unknownId ? 1 : (this.lengths[id] ?? 1);
    }
    return reversed.reverse();
  }
}
