import type { BenchRow } from './bench-row.ts';

const num = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : Math.abs(x) >= 1000 ? x.toFixed(0) : Number(x.toPrecision(4)).toString();

/** The one table `pnpm bench` prints: metric, value, goal, in-run baseline and ratio, status. */
export function benchTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| metric | value | unit | goal | baseline | ratio | status |',
    '| --- | ---: | --- | --- | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.metric} | ${num(r.value)} | ${r.unit} | ${r.goal} | ${num(r.baseline)} | ${num(r.ratio)} | ${r.status} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
