import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchRow, statusOf } from './bench-row.ts';
import type { Section } from './sections.ts';

/** How a section's run went; `ran: false` rows say why instead of showing a number. */
export interface SectionRun {
  ran: boolean;
  reason?: string;
}

/**
 * The contract rows of one section, read from the JSON it wrote in `resultsDir`. A section that
 * did not run, or a number its JSON lacks, gives a row with value null: never a stale or made-up number.
 */
export function collectRows(section: Section, run: SectionRun, resultsDir: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const [file, specs] of Object.entries(section.files)) {
    const path = join(resultsDir, file);
    let json: unknown;
    let why = run.ran ? undefined : (run.reason ?? 'not run');
    if (!why && !existsSync(path)) why = `not run (no ${file})`;
    if (!why) {
      try {
        json = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        why = `unreadable ${file}: ${(e as Error).message}`;
      }
    }
    for (const spec of specs) {
      const base = { metric: spec.metric, unit: spec.unit, goal: spec.goal.text };
      const value = why ? undefined : spec.value(json);
      if (value === undefined) {
        rows.push({ ...base, value: null, status: why ?? `missing in ${file}` });
        continue;
      }
      const row: BenchRow = { ...base, value, status: statusOf(value, spec.goal) };
      const baseline = spec.baseline?.(json);
      if (baseline !== undefined) {
        row.baseline = baseline;
        if (baseline !== 0) row.ratio = value / baseline;
      }
      rows.push(row);
    }
  }
  return rows;
}
