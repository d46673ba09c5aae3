import { bestBy } from '../run/cross-validate.ts';
import type { EvalReport, ReportConfig } from '../run/run-eval.ts';

/** The quality goals of issue 8, measured on a report. */
export interface GoalCheck {
  name: string;
  value: number;
  goal: string;
  met: boolean;
  detail: string;
}

// An HR ratio; a zero baseline is beaten by anything.
const ratio = (value: number, baseline: number) => (baseline > 0 ? value / baseline : Number.POSITIVE_INFINITY);

/** Best Portrait HR@20 vs the best no-text baseline; Portrait's novel HR@20 vs popularity's; its lag. */
export function checkGoals(report: EvalReport): GoalCheck[] {
  const portrait = report.configs.filter((c) => c.kind === 'portrait');
  const noText = report.configs.filter((c) => c.kind === 'baseline-no-text');
  const bp = bestBy(portrait, (r) => r.overall['HR@20']);
  const bn = bestBy(noText, (r) => r.overall['HR@20']);
  const pop = report.configs.find((c) => c.name === 'popularity');
  const bnov = bestBy(portrait, (r) => r.novel['HR@20']);
  const out: GoalCheck[] = [];
  // One ratio goal: row `a`'s HR@20 in a segment over row `b`'s.
  const ratioGoal = (name: string, a: ReportConfig, b: ReportConfig, seg: 'overall' | 'novel', goal: number) => {
    const v = ratio(a[seg]['HR@20'], b[seg]['HR@20']);
    out.push({
      name,
      value: v,
      goal: `>= ${goal}`,
      met: v >= goal,
      detail: `${a.name} ${a[seg]['HR@20'].toFixed(4)} vs ${b.name} ${b[seg]['HR@20'].toFixed(4)}`,
    });
  };
  if (bp && bn) ratioGoal('HR@20, best Portrait / best no-text baseline', bp, bn, 'overall', 1.2);
  if (bnov && pop) ratioGoal('novel HR@20, best Portrait / popularity', bnov, pop, 'novel', 1.5);
  // The stricter reading: against the best no-text novel HR@20 (e.g. a recent, not-yet-bought
  // popularity list), what the text profile itself adds on new items.
  const bnn = bestBy(noText, (r) => r.novel['HR@20']);
  if (bnov && bnn)
    ratioGoal('novel HR@20, best Portrait / best no-text baseline (stricter reading)', bnov, bnn, 'novel', 1.5);
  if (bp) {
    out.push({
      name: `adaptation lag of ${bp.name}`,
      value: bp.adaptationLag,
      goal: '<= 3',
      met: bp.adaptationLag <= 3,
      detail: `${bp.lagCensored} of ${report.lagPairs} pairs never adapted`,
    });
  }
  return out;
}
