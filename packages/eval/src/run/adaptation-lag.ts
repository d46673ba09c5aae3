import { ranksOf } from '../metrics/rank.ts';
import type { EvalContext, UserHistory } from './context.ts';
import { scoreInto } from './score.ts';
import { shuffled } from './shuffle.ts';
import { UserFeatures } from './user-features.ts';
import type { Step } from './user-steps.ts';

const DAY = 86_400_000;

/** Adaptation lag per scorer: the mean over spliced pairs, plus how many pairs never adapted. */
export interface LagResult {
  pairs: number;
  /** lag[scorer]: mean steps of B before B's next items rank above A's. */
  lag: number[];
  /** censored[scorer]: pairs where B's items never ranked above A's (counted at B's length). */
  censored: number[];
}

// B's steps moved to start a day after A's last step, gaps kept; popularity stays at B's own time
// (counting up to the shifted time would peek at events B never saw).
function shift(steps: readonly Step[], start: number): Step[] {
  const delta = start - (steps[0]?.ts ?? start);
  return steps.map((s) => ({
    ...s,
    ts: s.ts + delta,
    events: s.events.map((e) => ({ ...e, event: { ...e.event, ts: e.event.ts + delta } })),
  }));
}

const meanRank = (scores: Float32Array, items: readonly number[], tiebreak: Float64Array) =>
  ranksOf(scores, items, tiebreak).reduce((s, r) => s + r, 0) / Math.max(1, items.length);

/**
 * The interest-shift test. Pairs of users (A, B), each with at least `minSteps` steps: A's history
 * but its last step is folded, A's last step is held out as "A's next items"; then B's steps
 * follow. Before each step s of B, every scorer ranks B's step-s items and A's held-out items; the
 * lag is the first s at which B's items rank better on average (0: before any of B was seen).
 */
export function adaptationLag(
  ctx: EvalContext,
  histories: readonly UserHistory[],
  opts: { pairs: number; seed: number; minSteps?: number },
): LagResult {
  const minSteps = opts.minSteps ?? 3;
  const eligible = shuffled(
    histories.filter((h) => h.steps.length >= minSteps),
    opts.seed ^ 0x1a9,
  );
  const { scorers } = ctx.configs;
  const total = scorers.map(() => 0);
  const censored = scorers.map(() => 0);
  const scores = new Float32Array(ctx.catalogue.size);
  let pairs = 0;
  for (let p = 0; p + 1 < eligible.length && pairs < opts.pairs; p += 2) {
    const a = eligible[p] as UserHistory;
    const b = eligible[p + 1] as UserHistory;
    const held = a.steps[a.steps.length - 1] as Step;
    const state = new UserFeatures(ctx);
    for (const s of a.steps.slice(0, -1)) state.observe(s);
    const bSteps = shift(b.steps, held.ts + DAY);
    const lag: (number | undefined)[] = scorers.map(() => undefined);
    for (let s = 0; s < bSteps.length && lag.some((l) => l === undefined); s++) {
      const step = bSteps[s] as Step;
      const features = state.features(step.popTs);
      scorers.forEach((scorer, k) => {
        if (lag[k] !== undefined) return;
        scoreInto(scorer, features, scores);
        if (meanRank(scores, step.items, ctx.tiebreak) < meanRank(scores, held.items, ctx.tiebreak)) lag[k] = s;
      });
      state.observe(step);
    }
    lag.forEach((l, k) => {
      total[k] = (total[k] as number) + (l ?? bSteps.length);
      if (l === undefined) censored[k] = (censored[k] as number) + 1;
    });
    pairs++;
  }
  return { pairs, lag: total.map((t) => (pairs > 0 ? t / pairs : Number.NaN)), censored };
}
