import { describe, expect, it } from 'vitest';
import { addRank, FIELDS, metricsOf } from './accumulator.ts';
import { rankOf, ranksOf, topK } from './rank.ts';

const noTies = [0, 1, 2, 3, 4, 5];

describe('rankOf', () => {
  it('ranks by score, highest first', () => {
    const scores = [0.1, 0.9, 0.5, 0.3];
    expect(rankOf(scores, 1, noTies)).toBe(1);
    expect(rankOf(scores, 2, noTies)).toBe(2);
    expect(rankOf(scores, 0, noTies)).toBe(4);
  });

  it('breaks ties by the fixed item order, not in the target’s favour', () => {
    const scores = [1, 1, 1, 0];
    const tiebreak = [0.5, 0.1, 0.9, 0.2];
    expect(rankOf(scores, 1, tiebreak)).toBe(1);
    expect(rankOf(scores, 0, tiebreak)).toBe(2);
    expect(rankOf(scores, 2, tiebreak)).toBe(3);
    expect(rankOf(scores, 3, tiebreak)).toBe(4);
  });
});

describe('ranksOf', () => {
  it('gives every target the rank rankOf gives it, ties included', () => {
    let x = 12345;
    const rand = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    for (let trial = 0; trial < 20; trial++) {
      // Coarse scores, so many ties.
      const scores = Float32Array.from({ length: 200 }, () => Math.floor(rand() * 8) / 8);
      const tiebreak = Float64Array.from({ length: 200 }, () => rand());
      const targets = [...new Set(Array.from({ length: 15 }, () => Math.floor(rand() * 200)))];
      expect(ranksOf(scores, targets, tiebreak)).toEqual(targets.map((t) => rankOf(scores, t, tiebreak)));
    }
    expect(ranksOf([1, 2], [], [0, 1])).toEqual([]);
  });
});

describe('topK', () => {
  it('returns the k best with the same tie rule', () => {
    expect(topK([0.2, 0.9, 0.9, 0.1, 0.5], 3, [0, 1, 0.5, 3, 4])).toEqual([2, 1, 4]);
    expect(topK([3, 1], 5, noTies)).toEqual([0, 1]);
  });

  it('is the head of the full order (score desc, tiebreak asc), with many ties', () => {
    let x = 777;
    const rand = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    for (let trial = 0; trial < 20; trial++) {
      const scores = Float32Array.from({ length: 300 }, () => Math.floor(rand() * 6) / 6);
      const tiebreak = Float64Array.from({ length: 300 }, () => rand());
      const full = [...scores.keys()].sort(
        (a, b) => (scores[b] as number) - (scores[a] as number) || (tiebreak[a] as number) - (tiebreak[b] as number),
      );
      for (const k of [1, 7, 20]) expect(topK(scores, k, tiebreak)).toEqual(full.slice(0, k));
      // A single target ranks as it does in the full order.
      const t = Math.floor(rand() * 300);
      expect(ranksOf(scores, [t], tiebreak)).toEqual([full.indexOf(t) + 1]);
    }
    expect(topK([1, 2], 0, noTies)).toEqual([]);
  });
});

describe('HitRate, NDCG and MRR', () => {
  it('match a hand-computed example', () => {
    // Four targets at ranks 1, 3, 8 and 30.
    const acc = new Float64Array(FIELDS);
    for (const r of [1, 3, 8, 30]) addRank(acc, 0, r);
    const m = metricsOf(acc);
    expect(m.targets).toBe(4);
    expect(m['HR@5']).toBeCloseTo(2 / 4); // ranks 1 and 3
    expect(m['HR@10']).toBeCloseTo(3 / 4); // + rank 8
    expect(m['HR@20']).toBeCloseTo(3 / 4); // rank 30 misses
    // DCG of one relevant item at rank r is 1/log2(r+1); rank 1 -> 1, rank 3 -> 0.5, rank 8 -> 1/log2(9).
    expect(m['NDCG@5']).toBeCloseTo((1 + 0.5) / 4);
    expect(m['NDCG@10']).toBeCloseTo((1 + 0.5 + 1 / Math.log2(9)) / 4);
    expect(m['NDCG@10']).toBeCloseTo((1 + 0.5 + 0.315465) / 4, 5);
    expect(m.MRR).toBeCloseTo((1 + 1 / 3 + 1 / 8 + 1 / 30) / 4);
  });

  it('reports zeros, not NaN, for an empty segment', () => {
    const m = metricsOf(new Float64Array(FIELDS));
    expect(m['HR@20']).toBe(0);
    expect(m.MRR).toBe(0);
  });
});
