// `pnpm eval --data DIR ...`: the quality evaluation. Table on stdout, progress on stderr,
// JSON report and SVG chart on disk (by default under the gitignored .cache/eval/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../data/data-error.ts';
import { dropPrice } from '../data/drop-price.ts';
import { loadDataset } from '../data/load-dataset.ts';
import { normaliseCase } from '../data/normalise-case.ts';
import { readImportedVectors } from '../embed/imported-vectors.ts';
import { realEmbedder } from '../embed/real-encoder.ts';
import { markdownReport } from '../report/markdown.ts';
import { svgChart } from '../report/svg-chart.ts';
import { runEval } from '../run/run-eval.ts';
import { parseArgs, USAGE } from './args.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const log = (line: string) => console.error(`[eval] ${line}`);
  const cacheDir = resolve(args.cacheDir ?? join(repo, '.cache', 'eval'));
  const loaded = await loadDataset(resolve(args.data), { skipBad: args.skipBad });
  const cased = args.lowerCaps ? normaliseCase(loaded) : loaded;
  const ds = args.dropPrice ? dropPrice(cased) : cased;
  log(
    `${ds.name}: ${ds.items.length} items, ${ds.events.length} events; skipped lines: items ${ds.skipped.items}, events ${ds.skipped.events}`,
  );
  const itemVectors = args.itemVectors ? await readImportedVectors(resolve(args.itemVectors)) : undefined;
  const embedder = await realEmbedder(args.model, args.dtype);
  try {
    const report = await runEval(ds, embedder, {
      target: args.target,
      warmup: args.warmup,
      folds: args.folds,
      seed: args.seed,
      lagPairs: args.lagPairs,
      cacheDir,
      variants: [
        ...(args.lowerCaps ? ['lower-caps'] : []),
        ...(args.dropPrice ? ['drop-price'] : []),
        ...(args.descriptionChars === undefined ? [] : [`description-chars=${args.descriptionChars}`]),
      ],
      log,
      ...(args.maxUsers === undefined ? {} : { maxUsers: args.maxUsers }),
      ...(itemVectors ? { itemVectors } : {}),
      ...(args.descriptionChars === undefined ? {} : { descriptionChars: args.descriptionChars }),
    });
    const out = resolve(args.out ?? join(cacheDir, `report-${ds.name}.json`));
    const svg = resolve(args.svg ?? `${out.replace(/\.json$/, '')}.svg`);
    write(out, `${JSON.stringify(report, null, 2)}\n`);
    write(svg, svgChart(report));
    process.stdout.write(markdownReport(report));
    log(`wrote ${out} and ${svg}`);
  } finally {
    await embedder.dispose();
  }
}

main().catch((e: unknown) => {
  // A malformed line is the user's data, not a crash: one clear line, no stack.
  if (e instanceof DataError) console.error(`eval: ${e.message} (pass --skip-bad to skip and count such lines)`);
  else console.error(e);
  process.exit(1);
});
