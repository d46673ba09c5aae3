/** One row of `pnpm bench --json`: the contract other tools read. */
export interface BenchRow {
  /** `section.name`, e.g. `engine.wasm.hit_p95_ms`. */
  metric: string;
  /** null when the section did not run or its output lacks the number. */
  value: number | null;
  unit: string;
  goal: string;
  baseline?: number;
  ratio?: number;
  /** "ok", "missed", "no goal", "not run" or "missing in <file>": why the row looks as it does. */
  status: string;
}

/** A goal as a comparison, so the table can say met or missed. */
export type Goal = { op: '<=' | '>='; target: number; text: string } | { op: 'none'; text: string };

export const atMost = (target: number, text = `<= ${target}`): Goal => ({ op: '<=', target, text });
export const atLeast = (target: number, text = `>= ${target}`): Goal => ({ op: '>=', target, text });
export const noGoal = (text: string): Goal => ({ op: 'none', text });

/** Whether `value` meets `goal`. */
export function statusOf(value: number, goal: Goal): string {
  if (goal.op === 'none') return 'no goal';
  const ok = goal.op === '<=' ? value <= goal.target : value >= goal.target;
  return ok ? 'ok' : 'missed';
}
