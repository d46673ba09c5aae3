import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter';
import { FAULT_ATTACHMENT, type FaultRow } from './fault-ledger.ts';

const COLUMNS = ['fault', 'events in', 'reflected', 'syncs acked', 'lost', 'duplicated', 'note'] as const;

/** Collects the rows fault scenarios attach and prints them as one markdown table (and JSON). */
export default class FaultReporter implements Reporter {
  private readonly rows: (FaultRow & { status: string })[] = [];

  onTestEnd(_test: TestCase, result: TestResult): void {
    for (const a of result.attachments) {
      if (a.name !== FAULT_ATTACHMENT || !a.body) continue;
      this.rows.push({ ...(JSON.parse(a.body.toString('utf8')) as FaultRow), status: result.status });
    }
  }

  onEnd(): void {
    if (this.rows.length === 0) return;
    const lines = [
      `| ${COLUMNS.join(' | ')} |`,
      `|${COLUMNS.map(() => '---').join('|')}|`,
      ...this.rows.map(
        (r) =>
          `| ${r.fault} | ${r.eventsIn} | ${r.eventsReflected} | ${r.syncsAcked} | ${r.lost} | ${r.duplicated} | ${r.status === 'passed' ? '' : `${r.status}; `}${r.note ?? ''} |`,
      ),
    ];
    console.log(`\nFault suite summary\n${lines.join('\n')}\n`);
    // Next to the run's other artifacts (playwright.config.ts' outputDir).
    const dir = process.env.PORTRAIT_E2E_OUT ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
    const out = join(dir, 'fault-summary.json');
    mkdirSync(dir, { recursive: true });
    writeFileSync(out, JSON.stringify(this.rows, null, 2));
  }
}
