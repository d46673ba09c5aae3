import type { EvalReport } from '../run/run-eval.ts';
import { checkGoals } from './goals.ts';

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

function ceilingLines(r: EvalReport): string[] {
  const c = r.ceiling;
  if (!c) return [];
  const k = c.bySplit.length - 1;
  const noText = Math.max(0, ...r.configs.filter((x) => x.kind === 'baseline-no-text').map((x) => x.overall['HR@20']));
  const splits = c.bySplit.map((hr, split) => `${split}: ${f(hr)}`).filter((_, split) => split % 5 === 0);
  return [
    '',
    `Ceiling of mixing two lists in ${k} slots: the first n from ${c.first}, the rest from ${c.second}.`,
    `- HR@${k} by n: ${splits.join(', ')}`,
    `- each step's best n, chosen in hindsight: ${f(c.hindsight)}${noText > 0 ? ` (${(c.hindsight / noText).toFixed(2)}x the best no-text baseline)` : ''}`,
  ];
}

/** The report as a markdown table (one row per configuration), the chosen grid points and the goals. */
export function markdownReport(r: EvalReport): string {
  const lines = [
    `**${r.dataset}**: ${r.users} users, ${r.targets} targets in ${r.scoredSteps} steps (target ${r.target}, warm-up ${r.warmup}), model ${r.model}${r.itemVectors ? ` (item vectors from the import ${r.itemVectors.version}: ${r.itemVectors.fromImport} items, ${r.itemVectors.embedded} embedded)` : ''}${r.variants.length > 0 ? ` (text variants: ${r.variants.join(', ')})` : ''}, ${r.folds}-fold CV over users, seed ${r.seed}, ${(r.timingMs.total ?? 0) / 1000 > 0 ? ((r.timingMs.total ?? 0) / 1000).toFixed(0) : 0} s`,
    '',
    '| configuration | kind | HR@5 | HR@10 | HR@20 | NDCG@10 | MRR | novel HR@20 | repeat HR@20 | coverage@20 | lag |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const c of r.configs) {
    const o = c.overall;
    lines.push(
      `| ${c.name} | ${c.kind} | ${f(o['HR@5'])} | ${f(o['HR@10'])} | ${f(o['HR@20'])} | ${f(o['NDCG@10'])} | ${f(o.MRR)} | ${f(c.novel['HR@20'])} | ${f(c.repeat['HR@20'])} | ${f(c.coverage)} | ${Number.isFinite(c.adaptationLag) ? c.adaptationLag.toFixed(2) : 'n/a'} |`,
    );
  }
  const first = r.configs[0];
  if (first) {
    lines.push(
      '',
      `targets: ${first.overall.targets} (repeat ${first.repeat.targets}, novel ${first.novel.targets}); lag: mean steps of B over ${r.lagPairs} spliced pairs`,
    );
  }
  lines.push('', 'Grid points chosen on the validation folds (one per held-out fold):');
  for (const c of r.configs) if (c.chosen) lines.push(`- ${c.name} (${c.gridSize} points): ${c.chosen.join(' | ')}`);
  lines.push('', 'Goals:');
  for (const g of checkGoals(r))
    lines.push(`- ${g.met ? 'met' : 'NOT met'}: ${g.name} = ${f(g.value)} (goal ${g.goal}; ${g.detail})`);
  lines.push(...ceilingLines(r));
  return `${lines.join('\n')}\n`;
}
