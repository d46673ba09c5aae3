import { FIELDS, type Metrics, metricsOf } from '../metrics/accumulator.ts';
import { FAMILY_CRITERION, type Kind, type ScorerConfig } from '../recommenders/configs.ts';
import type { EvalResult } from './evaluate.ts';
import { shuffled } from './shuffle.ts';

/** One row of the report. */
export interface ConfigRow {
  name: string;
  kind: Kind;
  overall: Metrics;
  repeat: Metrics;
  novel: Metrics;
  /** Share of the catalogue that appeared in any top-20 list. */
  coverage: number;
  /** Grid rows: the member chosen on each fold's validation users, and how many members there were. */
  chosen?: string[];
  gridSize?: number;
  /** The scorer whose adaptation lag stands for this row (the member chosen on most folds). */
  scorer: number;
  /** The scorer that scored each fold's users. */
  picks: number[];
}

function sumUsers(acc: Float64Array, users: readonly number[], segment: number, into: Float64Array): void {
  for (const u of users) {
    const off = (u * 3 + segment) * FIELDS;
    for (let f = 0; f < FIELDS; f++) into[f] = (into[f] as number) + (acc[off + f] as number);
  }
}

const coverageOf = (c: Uint8Array) => (c.length > 0 ? c.reduce((s, x) => s + x, 0) / c.length : 0);

function rowOf(
  result: EvalResult,
  name: string,
  kind: Kind,
  pick: (fold: number) => number,
  folds: number[][],
): Omit<ConfigRow, 'scorer' | 'coverage' | 'picks'> {
  const seg = [0, 1, 2].map(() => new Float64Array(FIELDS));
  folds.forEach((users, f) => {
    seg.forEach((into, s) => {
      sumUsers(result.acc[pick(f)] as Float64Array, users, s, into);
    });
  });
  return {
    name,
    kind,
    overall: metricsOf(seg[0] ?? []),
    repeat: metricsOf(seg[1] ?? []),
    novel: metricsOf(seg[2] ?? []),
  };
}

/** The row with the highest `pick` (the first on a tie), or undefined for no rows. */
export const bestBy = <R>(rows: readonly R[], pick: (r: R) => number): R | undefined =>
  rows.reduce<R | undefined>((b, r) => (b === undefined || pick(r) > pick(b) ? r : b), undefined);

/** HR@20 over these users in one segment (0 overall, 2 novel): the selection criterion. */
function hr20(acc: Float64Array, users: readonly number[], segment: number): number {
  const into = new Float64Array(FIELDS);
  sumUsers(acc, users, segment, into);
  return (into[0] as number) > 0 ? (into[3] as number) / (into[0] as number) : 0;
}

/**
 * One row per configuration family. A family with several members (a grid) is cross-validated
 * over users: for each of k folds the member with the best HR@20 on the other folds is chosen,
 * and only the held-out fold's targets are scored with it; rows add up the k held-out folds.
 */
export function crossValidate(
  scorers: readonly ScorerConfig[],
  result: EvalResult,
  k: number,
  seed: number,
): { rows: ConfigRow[]; folds: number[][] } {
  const order = shuffled(
    result.users.map((_, i) => i),
    seed ^ 0x5eed,
  );
  const folds: number[][] = Array.from({ length: k }, () => []);
  order.forEach((u, i) => {
    folds[i % k]?.push(u);
  });
  const all = [order];
  const families = new Map<string, number[]>();
  scorers.forEach((s, i) => {
    families.set(s.family, [...(families.get(s.family) ?? []), i]);
    if (s.alsoIn) families.set(s.alsoIn, [...(families.get(s.alsoIn) ?? []), i]);
  });
  const rows: ConfigRow[] = [];
  for (const [family, members] of families) {
    const first = scorers[members[0] as number] as ScorerConfig;
    if (members.length === 1) {
      const i = members[0] as number;
      rows.push({
        ...rowOf(result, first.name, first.kind, () => i, all),
        coverage: coverageOf(result.coverage[i] as Uint8Array),
        scorer: i,
        picks: folds.map(() => i),
      });
      continue;
    }
    const segment = FAMILY_CRITERION[family] === 'novel' ? 2 : 0;
    const chosen = folds.map((_, f) => {
      const validation = folds.filter((_, g) => g !== f).flat();
      let best = members[0] as number;
      for (const m of members)
        if (
          hr20(result.acc[m] as Float64Array, validation, segment) >
          hr20(result.acc[best] as Float64Array, validation, segment)
        )
          best = m;
      return best;
    });
    const votes = new Map<number, number>();
    for (const c of chosen) votes.set(c, (votes.get(c) ?? 0) + 1);
    const mostChosen = [...votes].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] as number;
    rows.push({
      ...rowOf(
        result,
        `${family} (CV${segment === 2 ? ' on novel' : ''})`,
        first.kind,
        (f) => chosen[f] as number,
        folds,
      ),
      coverage: coverageOf(result.coverage[mostChosen] as Uint8Array),
      chosen: chosen.map((c) => (scorers[c] as ScorerConfig).label),
      gridSize: members.length,
      scorer: mostChosen,
      picks: chosen,
    });
  }
  scorers.forEach((s, i) => {
    if (s.standalone) {
      rows.push({
        ...rowOf(result, s.standalone, s.kind, () => i, all),
        coverage: coverageOf(result.coverage[i] as Uint8Array),
        scorer: i,
        picks: folds.map(() => i),
      });
    }
  });
  return { rows, folds };
}
