import { describe, expect, it } from 'vitest';
import type { EvalResult } from './evaluate.ts';
import { splitCeiling, splitHits } from './split-ceiling.ts';

describe('splitHits / splitCeiling (how far a mix of two lists can go)', () => {
  it('fills the slots after the first list’s n with the second’s best items not taken yet', () => {
    // n = 0: [2 4 5]; n = 1: [1 2 4]; n = 2: [1 2 | 4] (the second list's 2 is taken, so 4 comes in); n = 3: [1 2 3].
    expect(splitHits([1, 2, 3], [2, 4, 5], new Set([1, 4]))).toEqual([1, 2, 2, 1]);
    expect(splitHits([1, 2, 3], [2, 4, 5], new Set([3, 5]))).toEqual([1, 0, 0, 1]);
  });

  it('adds up fixed splits and the per-step best split over steps, with each user’s own scorers', () => {
    const k = 2;
    // Scorer 0 lists [0 1] then [0 1]; scorer 1 lists [2 3] then [2 3]; scorer 2 lists [3 2] both times.
    const tops = [Int32Array.from([0, 1, 0, 1]), Int32Array.from([2, 3, 2, 3]), Int32Array.from([3, 2, 3, 2])];
    const result: EvalResult = {
      users: ['a', 'b'],
      acc: [],
      coverage: [],
      scoredSteps: 2,
      topK: k,
      tops,
      stepUser: [0, 1],
      stepItems: [
        [0, 2],
        [1, 3, 4],
      ],
    };
    // User a mixes scorers 0 and 1: n=0 [2 3] 1 hit, n=1 [0 2] 2, n=2 [0 1] 1.
    // User b mixes scorers 0 and 2: n=0 [3 2] 1 hit, n=1 [0 3] 1, n=2 [0 1] 1.
    const c = splitCeiling(result, (u) => (u === 0 ? [0, 1] : [0, 2]));
    expect(c.targets).toBe(5);
    expect(c.bySplit).toEqual([2 / 5, 3 / 5, 2 / 5]);
    expect(c.hindsight).toBe(3 / 5);
  });
});
