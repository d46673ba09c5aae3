import { addRank, FIELDS } from '../metrics/accumulator.ts';
import { ranksOf, topK } from '../metrics/rank.ts';
import type { EvalContext, UserHistory } from './context.ts';
import { answerSignalQueries, type SignalAnswer, type SignalQuery } from './order-signals.ts';
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
  /** Length of the kept top lists (`COVERAGE_K`). */
  topK: number;
  /** tops[scorer][step * topK + i]: the i-th best item of each scored step, for the split ceiling. */
  tops: Int32Array[];
  /** Per scored step: its user (index into `users`) and its target items. */
  stepUser: number[];
  stepItems: number[][];
}

export const COVERAGE_K = 20;

/** Replays every user's steps, scoring the chosen steps under every configuration before folding them. */
export function evaluate(ctx: EvalContext, histories: readonly UserHistory[], opts: TargetOptions): EvalResult {
  const { scorers } = ctx.configs;
  const n = ctx.catalogue.size;
  const acc = scorers.map(() => new Float64Array(histories.length * SEGMENTS.length * FIELDS));
  const coverage = scorers.map(() => new Uint8Array(n));
  const scores = new Float32Array(n);
  const isScored = (h: UserHistory, s: number) =>
    (h.steps[s]?.items.length ?? 0) > 0 && s >= opts.warmup && (opts.target === 'all' || s === h.steps.length - 1);
  const total = histories.reduce((t, h) => t + h.steps.filter((_, s) => isScored(h, s)).length, 0);
  // -1 pads a list when the catalogue is shorter than COVERAGE_K.
  const tops = scorers.map(() => new Int32Array(total * COVERAGE_K).fill(-1));
  const stepUser: number[] = [];
  const stepItems: number[][] = [];
  const signals = ctx.orders ? answerSignalQueries(ctx.orders, signalQueries(histories, isScored)) : [];
  let scoredSteps = 0;
  histories.forEach((h, u) => {
    const state = new UserFeatures(ctx);
    h.steps.forEach((step, s) => {
      if (isScored(h, s)) {
        stepUser.push(u);
        stepItems.push(step.items);
        const features = state.features(step.popTs, signals[scoredSteps]);
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
          const top = topK(scores, COVERAGE_K, ctx.tiebreak);
          for (const i of top) cov[i] = 1;
          (tops[k] as Int32Array).set(top, scoredSteps * COVERAGE_K);
        });
        scoredSteps++;
      }
      state.observe(step);
    });
  });
  return {
    users: histories.map((h) => h.user),
    acc,
    coverage,
    scoredSteps,
    topK: COVERAGE_K,
    tops,
    stepUser,
    stepItems,
  };
}

/** Per scored step, in the order `evaluate` scores them: the user's items before it. */
export function signalQueries(
  histories: readonly UserHistory[],
  isScored: (h: UserHistory, s: number) => boolean,
): SignalQuery[] {
  const out: SignalQuery[] = [];
  for (const h of histories) {
    let recent: number[] = [];
    let last: number[] = [];
    h.steps.forEach((step, s) => {
      if (isScored(h, s)) out.push({ ts: step.popTs, recent, last, user: h.user });
      if (step.items.length > 0) {
        recent = [...step.items, ...recent.filter((i) => !step.items.includes(i))];
        last = step.items;
      }
    });
  }
  return out;
}

export type { SignalAnswer };
