import type { Dataset } from '../data/types.ts';
import type { ImportedVectors } from '../embed/imported-vectors.ts';
import type { TextEmbedder } from '../embed/text-embedder.ts';
import type { Metrics } from '../metrics/accumulator.ts';
import { type ConfigSet, configSet, type Kind } from '../recommenders/configs.ts';
import { adaptationLag } from './adaptation-lag.ts';
import { bestBy, type ConfigRow, crossValidate } from './cross-validate.ts';
import { type EvalResult, evaluate } from './evaluate.ts';
import { type ItemVectorSource, prepare } from './prepare.ts';
import { type SplitCeiling, splitCeiling } from './split-ceiling.ts';

/** Options of one evaluation run (the CLI's flags). */
export interface EvalOptions {
  target: 'all' | 'last';
  warmup: number;
  folds: number;
  seed: number;
  maxUsers?: number;
  lagPairs: number;
  cacheDir: string;
  configs?: ConfigSet;
  /** Data-side text variants applied before the run (e.g. "lower-caps"), recorded in the report. */
  variants?: string[];
  /** Item vectors from a collector import instead of the eval's own (`--item-vectors`). */
  itemVectors?: ImportedVectors;
  /** Characters of each item's description in its text; core's `DESCRIPTION_CHARS` by default. */
  descriptionChars?: number;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** One configuration's row of the JSON report. */
export interface ReportConfig {
  name: string;
  kind: Kind;
  overall: Metrics;
  novel: Metrics;
  repeat: Metrics;
  coverage: number;
  chosen?: string[];
  gridSize?: number;
  adaptationLag: number;
  /** Pairs where the configuration never adapted within B's history. */
  lagCensored: number;
}

/** The JSON report: the contract in issue 8, plus run details. */
export interface EvalReport {
  dataset: string;
  users: number;
  targets: number;
  scoredSteps: number;
  target: 'all' | 'last';
  warmup: number;
  folds: number;
  seed: number;
  model: string;
  /** Text variants of an experiment run; empty for the engine's texts as they are. */
  variants: string[];
  configs: ReportConfig[];
  adaptationLag: Record<string, number>;
  lagPairs: number;
  /**
   * How far any mix of two rows' lists can go: the best row on all targets (`first`, its repeat
   * list in practice) and the best on novel ones (`second`), split slot by slot, and with hindsight.
   */
  ceiling?: SplitCeiling & { first: string; second: string };
  skippedLines: { items: number; events: number };
  /** Set when item vectors were read from a collector import (`--item-vectors`). */
  itemVectors?: ItemVectorSource;
  timingMs: Record<string, number>;
}

function ceilingOf(rows: ConfigRow[], folds: number[][], result: EvalResult): EvalReport['ceiling'] {
  const first = bestBy(rows, (r) => r.overall['HR@20']);
  const second = bestBy(rows, (r) => r.novel['HR@20']);
  if (!first || !second) return undefined;
  const foldOf = new Int32Array(result.users.length);
  folds.forEach((users, f) => {
    for (const u of users) foldOf[u] = f;
  });
  const split = splitCeiling(result, (u) => [
    first.picks[foldOf[u] as number] as number,
    second.picks[foldOf[u] as number] as number,
  ]);
  return { first: first.name, second: second.name, ...split };
}

/** Prepares, replays, cross-validates and runs the interest-shift test: one full evaluation. */
export async function runEval(ds: Dataset, embedder: TextEmbedder, o: EvalOptions): Promise<EvalReport> {
  const log = o.log ?? (() => {});
  const configs = o.configs ?? configSet();
  const t0 = performance.now();
  const { ctx, histories, cache, itemVectors } = await prepare(ds, embedder, {
    cacheDir: o.cacheDir,
    seed: o.seed,
    configs,
    ...(o.maxUsers === undefined ? {} : { maxUsers: o.maxUsers }),
    ...(o.itemVectors ? { itemVectors: o.itemVectors } : {}),
    ...(o.descriptionChars === undefined ? {} : { descriptionChars: o.descriptionChars }),
  });
  const t1 = performance.now();
  log(
    `embedded: ${cache.hits} cached, ${cache.computed} computed (${Math.round(t1 - t0)} ms with the collector basis fit; ${cache.file})`,
  );
  if (itemVectors) {
    log(
      `item vectors from ${itemVectors.dir} (${itemVectors.version}): ${itemVectors.fromImport} items, ${itemVectors.embedded} not in it; texts ${itemVectors.textsMatch ? 'match' : 'DIFFER from'} the engine's`,
    );
  }
  const result = evaluate(ctx, histories, { target: o.target, warmup: o.warmup });
  const t2 = performance.now();
  log(
    `replayed ${histories.length} users, ${result.scoredSteps} scored steps, ${configs.scorers.length} scorers (${Math.round(t2 - t1)} ms)`,
  );
  const { rows, folds } = crossValidate(configs.scorers, result, o.folds, o.seed);
  const ceiling = ceilingOf(rows, folds, result);
  const lag = adaptationLag(ctx, histories, { pairs: o.lagPairs, seed: o.seed });
  const t3 = performance.now();
  log(`adaptation lag over ${lag.pairs} spliced pairs (${Math.round(t3 - t2)} ms)`);
  const reportRows: ReportConfig[] = rows.map(({ scorer, picks, ...r }) => ({
    ...r,
    adaptationLag: lag.lag[scorer] as number,
    lagCensored: lag.censored[scorer] as number,
  }));
  return {
    dataset: ds.name,
    users: histories.length,
    targets: reportRows[0]?.overall.targets ?? 0,
    scoredSteps: result.scoredSteps,
    target: o.target,
    warmup: o.warmup,
    folds: o.folds,
    seed: o.seed,
    model: embedder.id,
    variants: o.variants ?? [],
    configs: reportRows,
    adaptationLag: Object.fromEntries(reportRows.map((r) => [r.name, r.adaptationLag])),
    lagPairs: lag.pairs,
    ...(ceiling ? { ceiling } : {}),
    skippedLines: ds.skipped,
    ...(itemVectors ? { itemVectors } : {}),
    timingMs: { prepare: t1 - t0, replay: t2 - t1, lag: t3 - t2, total: t3 - t0 },
  };
}
