// `pnpm bench`: runs each package's own bench script (each writes bench-results/<section>.json),
// then reads those files into one table and the JSON rows contract. Sections run one after
// another: they time things, and two at once on a 2-core machine would skew each other.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, parseBenchArgs } from './bench-args.ts';
import type { BenchRow } from './bench-row.ts';
import { benchScripts } from './bench-scripts.ts';
import { benchTable } from './bench-table.ts';
import { collectRows, type SectionRun } from './collect-rows.ts';
import { SECTIONS } from './sections.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const resultsDir = join(repo, 'bench-results');

let args: ReturnType<typeof parseBenchArgs>;
try {
  args = parseBenchArgs(
    process.argv.slice(2),
    SECTIONS.map((s) => s.name),
  );
} catch (e) {
  console.error(`${(e as Error).message}\n${BENCH_USAGE}`);
  process.exit(2);
}
const selected = SECTIONS.filter((s) => !args.only || args.only.includes(s.name));
// The demo shop sits beside packages/: its bench is the first visit, on the shop as built.
const scripts = benchScripts(join(repo, 'packages'), [join(repo, 'demo')]);
// One package may write several sections (the server: sync and server); run it once.
const runs = new Map<string, SectionRun>();
for (const section of selected) {
  if (runs.has(section.pkg)) continue;
  if (args.noRun) {
    runs.set(section.pkg, { ran: true });
  } else if (!scripts.get(section.pkg)) {
    runs.set(section.pkg, { ran: false, reason: `not run (${section.pkg} has no bench script yet)` });
  } else {
    console.error(`\n[bench] ${section.name}: pnpm --filter ${section.pkg} bench`);
    const t0 = performance.now();
    const r = spawnSync('pnpm', ['--filter', section.pkg, 'bench'], { cwd: repo, stdio: 'inherit' });
    const s = ((performance.now() - t0) / 1000).toFixed(0);
    runs.set(
      section.pkg,
      r.status === 0 ? { ran: true } : { ran: false, reason: `failed (exit ${r.status}) after ${s} s` },
    );
  }
}
const rows: BenchRow[] = selected.flatMap((s) => collectRows(s, runs.get(s.pkg) as SectionRun, resultsDir));
process.stdout.write(`\n${benchTable(rows)}`);
if (args.json) {
  const out = resolve(args.json);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(rows, null, 2)}\n`);
  console.error(`[bench] wrote ${out}`);
}
if ([...runs.values()].some((r) => r.reason?.startsWith('failed'))) process.exitCode = 1;
