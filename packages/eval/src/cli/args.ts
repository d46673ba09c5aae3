/** Parsed `pnpm eval` flags. */
export interface EvalArgs {
  data: string;
  maxUsers?: number;
  seed: number;
  target: 'all' | 'last';
  warmup: number;
  folds: number;
  lagPairs: number;
  out?: string;
  svg?: string;
  skipBad: boolean;
  /** Lower-case all-caps item texts before they reach the engine (an experiment; see normalise-case.ts). */
  lowerCaps: boolean;
  /** Drop item prices, so event texts carry no price band (an experiment; see drop-price.ts). */
  dropPrice: boolean;
  model: string;
  dtype: 'q8' | 'fp32';
  cacheDir?: string;
  /** A collector import's folder (manifest + shards): item vectors read from it instead of embedded. */
  itemVectors?: string;
  /** Characters of each item's description in its text (core's `DESCRIPTION_CHARS` unless given). */
  descriptionChars?: number;
}

export const USAGE = `usage: pnpm eval --data DIR [--max-users N] [--seed S] [--target all|last] [--out report.json]
  [--svg chart.svg] [--warmup W=1] [--folds K=5] [--lag-pairs N=50] [--skip-bad] [--lower-caps] [--drop-price]
  [--model use-lite] [--dtype q8|fp32] [--cache-dir DIR] [--item-vectors CATALOGUE_DIR] [--description-chars N]`;

const int = (flag: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got ${JSON.stringify(v)}`);
  return n;
};

/** Parses argv (without node and the script); throws with a usage-worthy message on anything unknown. */
export function parseArgs(argv: readonly string[]): EvalArgs {
  const a: Partial<EvalArgs> = {};
  const rest = [...argv];
  while (rest.length > 0) {
    const flag = rest.shift() as string;
    if (flag === '--') continue;
    if (flag === '--skip-bad' || flag === '--lower-caps' || flag === '--drop-price') {
      if (flag === '--skip-bad') a.skipBad = true;
      else if (flag === '--lower-caps') a.lowerCaps = true;
      else a.dropPrice = true;
      continue;
    }
    const v = rest.shift();
    if (v === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--data':
        a.data = v;
        break;
      case '--max-users':
        a.maxUsers = int(flag, v, 1);
        break;
      case '--seed':
        a.seed = int(flag, v, 0);
        break;
      case '--target':
        if (v !== 'all' && v !== 'last') throw new Error('--target is all or last');
        a.target = v;
        break;
      case '--warmup':
        a.warmup = int(flag, v, 0);
        break;
      case '--folds':
        a.folds = int(flag, v, 2);
        break;
      case '--lag-pairs':
        a.lagPairs = int(flag, v, 0);
        break;
      case '--out':
        a.out = v;
        break;
      case '--svg':
        a.svg = v;
        break;
      case '--model':
        a.model = v;
        break;
      case '--dtype':
        if (v !== 'q8' && v !== 'fp32') throw new Error('--dtype is q8 or fp32');
        a.dtype = v;
        break;
      case '--cache-dir':
        a.cacheDir = v;
        break;
      case '--item-vectors':
        a.itemVectors = v;
        break;
      case '--description-chars':
        a.descriptionChars = int(flag, v, 0);
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  if (!a.data) throw new Error('--data DIR is required');
  return {
    seed: 1,
    target: 'all',
    warmup: 1,
    folds: 5,
    lagPairs: 50,
    skipBad: false,
    lowerCaps: false,
    dropPrice: false,
    model: 'use-lite',
    dtype: 'q8',
    ...a,
    data: a.data,
  };
}
