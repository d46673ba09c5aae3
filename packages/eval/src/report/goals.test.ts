import { describe, expect, it } from 'vitest';
import type { Metrics } from '../metrics/accumulator.ts';
import type { EvalReport, ReportConfig } from '../run/run-eval.ts';
import { checkGoals } from './goals.ts';

const m = (hr10: number, hr20: number): Metrics => ({
  'HR@5': 0,
  'HR@10': hr10,
  'HR@20': hr20,
  'NDCG@5': 0,
  'NDCG@10': 0,
  'NDCG@20': 0,
  MRR: 0,
  targets: 10,
});
const row = (name: string, kind: ReportConfig['kind'], hr10: number, hr20: number, novel20 = hr20): ReportConfig => ({
  name,
  kind,
  overall: m(hr10, hr20),
  novel: m(0, novel20),
  repeat: m(0, 0),
  coverage: 0,
  adaptationLag: 1,
  lagCensored: 0,
});
const report = (dataset: string, target: 'all' | 'last', configs: ReportConfig[]) =>
  ({ dataset, target, configs, lagPairs: 1 }) as unknown as EvalReport;

describe('engine-default goals', () => {
  it('compares the best engine-default row with the published table and the best Portrait row', () => {
    const goals = checkGoals(
      report('amazon-valid-Industrial_and_Scientific', 'last', [
        row('popularity', 'baseline-no-text', 0.01, 0.02),
        row('for you, device only (engine defaults)', 'portrait', 0.16, 0.2),
        row('for you (CV)', 'portrait', 0.165, 0.2),
      ]),
    );
    const pub = goals.find((g) => g.name.includes('published best'));
    expect(pub).toMatchObject({ value: 0.16, met: true, goal: '>= 0.1586 (MiniOneRec)' });
    const within = goals.find((g) => g.name.includes('best Portrait row'));
    expect(within?.value).toBeCloseTo(0.16 / 0.165, 10);
    expect(within?.met).toBe(true);
  });

  it('on retail, against the best no-text lists overall and on novel targets; a reference row is only quoted', () => {
    const goals = checkGoals(
      report('online-retail-dev', 'all', [
        row('popularity', 'baseline-no-text', 0, 0.1, 0.05),
        row('repeat', 'baseline-no-text', 0, 0.2, 0),
        row('for you, device only (engine defaults)', 'portrait', 0, 0.19, 0.09),
        row('portrait blend (CV)', 'portrait', 0, 0.25, 0.06),
        row('customers like you', 'reference', 0, 0.3, 0.2),
      ]),
    );
    expect(goals.find((g) => g.name.startsWith('HR@20, best engine-default'))).toMatchObject({ met: false });
    // Neither a no-text baseline (0.09 / 0.2) nor a Portrait row (0.19 / 0.3): the reference only
    // stands beside the novel goal.
    const novel = goals.find((g) => g.name.startsWith('novel HR@20, best engine-default'));
    expect(novel?.value).toBeCloseTo(1.8, 10);
    expect(novel?.detail).toContain('reference customers like you 0.2000 = 4.00x');
    expect(goals.find((g) => g.name.includes('best Portrait row'))?.value).toBeCloseTo(0.76, 10);
    expect(goals.some((g) => g.name.includes('published'))).toBe(false);
  });
});
