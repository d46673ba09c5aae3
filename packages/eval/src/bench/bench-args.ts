/** `pnpm bench` flags. */
export interface BenchArgs {
  only?: string[];
  json?: string;
  /** Read the JSON the sections last wrote instead of running them. */
  noRun: boolean;
}

export const BENCH_USAGE = 'usage: pnpm bench [--only section[,section]] [--json out.json] [--no-run]';

export function parseBenchArgs(argv: readonly string[], sections: readonly string[]): BenchArgs {
  const a: BenchArgs = { noRun: false };
  const rest = argv.filter((x) => x !== '--');
  while (rest.length > 0) {
    const flag = rest.shift() as string;
    if (flag === '--no-run') {
      a.noRun = true;
      continue;
    }
    const v = rest.shift();
    if (v === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--json') a.json = v;
    else if (flag === '--only') {
      a.only = v.split(',');
      const unknown = a.only.filter((s) => !sections.includes(s));
      if (unknown.length > 0)
        throw new Error(`unknown section ${unknown.join(', ')}; sections: ${sections.join(', ')}`);
    } else throw new Error(`unknown flag ${flag}`);
  }
  return a;
}
