// `pnpm eval:import --data DIR --out CATALOGUE_DIR [--skip-bad]`: the collector's catalogue import
// of an evaluation data set's items, for `pnpm eval --data DIR --item-vectors CATALOGUE_DIR`.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataError } from '../data/data-error.ts';
import { loadDataset } from '../data/load-dataset.ts';
import { collectorImport } from '../embed/collector-import.ts';

const USAGE = 'usage: pnpm eval:import --data DIR --out CATALOGUE_DIR [--skip-bad]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, out: { type: 'string' }, 'skip-bad': { type: 'boolean' } },
  });
  if (!values.data || !values.out) {
    console.error(USAGE);
    process.exit(2);
  }
  const ds = await loadDataset(resolve(values.data), { skipBad: values['skip-bad'] ?? false });
  console.error(`[eval:import] ${ds.name}: ${ds.items.length} items -> ${resolve(values.out)}`);
  await collectorImport(ds, resolve(values.out), (line) => console.error(line));
}

main().catch((e: unknown) => {
  if (e instanceof DataError) console.error(`eval:import: ${e.message} (pass --skip-bad to skip and count such lines)`);
  else console.error(e);
  process.exit(1);
});
