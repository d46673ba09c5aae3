import { bestBy } from '../run/cross-validate.ts';
import type { EvalReport } from '../run/run-eval.ts';

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
  if (bp && bn) {
    const v = ratio(bp.overall['HR@20'], bn.overall['HR@20']);
    out.push({
      name: 'HR@20, best Portrait / best no-text baseline',
      value: v,
      goal: '>= 1.2',
      met: v >= 1.2,
      detail: `${bp.name} ${bp.overall['HR@20'].toFixed(4)} vs ${bn.name} ${bn.overall['HR@20'].toFixed(4)}`,
    });
  }
  if (bnov && pop) {
    const v = ratio(bnov.novel['HR@20'], pop.novel['HR@20']);
    out.push({
      name: 'novel HR@20, best Portrait / popularity',
      value: v,
      goal: '>= 1.5',
      met: v >= 1.5,
      detail: `${bnov.name} ${bnov.novel['HR@20'].toFixed(4)} vs popularity ${pop.novel['HR@20'].toFixed(4)}`,
    });
  }
  // The stricter reading: against the best no-text novel HR@20 (e.g. a recent, not-yet-bought
  // popularity list), what the text profile itself adds on new items.
  const bnn = bestBy(noText, (r) => r.novel['HR@20']);
  if (bnov && bnn) {
    const v = ratio(bnov.novel['HR@20'], bnn.novel['HR@20']);
    out.push({
      name: 'novel HR@20, best Portrait / best no-text baseline (stricter reading)',
      value: v,
      goal: '>= 1.5',
      met: v >= 1.5,
      detail: `${bnov.name} ${bnov.novel['HR@20'].toFixed(4)} vs ${bnn.name} ${bnn.novel['HR@20'].toFixed(4)}`,
    });
  }
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
