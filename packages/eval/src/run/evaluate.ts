import { addRank, FIELDS } from '../metrics/accumulator.ts';
import { ranksOf, topK } from '../metrics/rank.ts';
import type { EvalContext, UserHistory } from './context.ts';
import { scoreInto } from './score.ts';
import { UserFeatures } from './user-features.ts';

/** Which steps are scored: every step after the warm-up, or only each user's last one. */
export interface TargetOptions {
  target: 'all' | 'last';
  /** Steps of each user never scored (their state would be empty or nearly). */
  warmup: number;
}

/** Segments of the accumulators: all targets, items the user chose before, items new to the user. */
export const SEGMENTS = ['overall', 'repeat', 'novel'] as const;

/** Raw results of one pass: per scorer, accumulators per user x segment, and the items its top-20 lists showed. */
export interface EvalResult {
  users: string[];
  /** acc[scorer][(user * 3 + segment) * FIELDS + field]. */
  acc: Float64Array[];
  /** coverage[scorer][item] = 1 when the item appeared in a top-20 list. */
  coverage: Uint8Array[];
  scoredSteps: number;
}

export const COVERAGE_K = 20;

/** Replays every user's steps, scoring the chosen steps under every configuration before folding them. */
export function evaluate(ctx: EvalContext, histories: readonly UserHistory[], opts: TargetOptions): EvalResult {
  const { scorers } = ctx.configs;
  const n = ctx.catalogue.size;
  const acc = scorers.map(() => new Float64Array(histories.length * SEGMENTS.length * FIELDS));
  const coverage = scorers.map(() => new Uint8Array(n));
  const scores = new Float32Array(n);
  let scoredSteps = 0;
  histories.forEach((h, u) => {
    const state = new UserFeatures(ctx);
    h.steps.forEach((step, s) => {
      const scored = step.items.length > 0 && s >= opts.warmup && (opts.target === 'all' || s === h.steps.length - 1);
      if (scored) {
        scoredSteps++;
        const features = state.features(step.popTs);
        const segment = step.items.map((item) => (state.repeatCount(item) > 0 ? 1 : 2));
        scorers.forEach((scorer, k) => {
          scoreInto(scorer, features, scores);
          const a = acc[k] as Float64Array;
          const ranks = ranksOf(scores, step.items, ctx.tiebreak);
          step.items.forEach((_, t) => {
            const rank = ranks[t] as number;
            addRank(a, u * 3 * FIELDS, rank);
            addRank(a, (u * 3 + (segment[t] as number)) * FIELDS, rank);
          });
          const cov = coverage[k] as Uint8Array;
          for (const i of topK(scores, COVERAGE_K, ctx.tiebreak)) cov[i] = 1;
        });
      }
      state.observe(step);
    });
  });
  return { users: histories.map((h) => h.user), acc, coverage, scoredSteps };
}
