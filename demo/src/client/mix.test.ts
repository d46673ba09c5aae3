import { describe, expect, it } from 'vitest';
import { mixDepartments } from './mix.ts';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const dept = (id: string) => id.split('-')[0];

describe('mixDepartments', () => {
  it('gives each department places by its share of the ranking, best items first, in rank order', () => {
    // 30 kitchen then 10 running: 6 and 2 of 8, the leader keeps first place.
    const ranked = [...ids('kitchen', 30), ...ids('running', 10)];
    const out = mixDepartments(ranked, dept, 8);
    expect(out).toEqual([...ids('kitchen', 6), 'running-0', 'running-1']);
  });

  it('interleaved rankings keep their order and hold both departments', () => {
    const ranked = ids('x', 40).map((_, i) => (i % 3 === 0 ? `running-${i}` : `kitchen-${i}`));
    const out = mixDepartments(ranked, dept, 8);
    expect(out).toHaveLength(8);
    expect(new Set(out.map(dept))).toEqual(new Set(['running', 'kitchen']));
    expect(out).toEqual(ranked.filter((id) => out.includes(id)));
  });

  it('a department below one place of share gets none; one department alone fills the list', () => {
    const ranked = [...ids('kitchen', 39), 'garden-0'];
    expect(mixDepartments(ranked, dept, 8).map(dept)).toEqual(Array(8).fill('kitchen'));
    expect(mixDepartments(ids('coffee', 50), dept, 8)).toEqual(ids('coffee', 8));
  });

  it('short lists come back whole; a department short of items leaves its places to the rest', () => {
    expect(mixDepartments(ids('a', 3), dept, 8)).toEqual(ids('a', 3));
    const ranked = [...ids('kitchen', 2), ...ids('running', 2), ...ids('coffee', 16)];
    const out = mixDepartments(ranked, dept, 8, ranked.slice(0, 4).map(dept));
    // Over the first 4: kitchen 4 places, running 4; each has only 2, coffee takes the rest.
    expect(out).toHaveLength(8);
    expect(out.slice(0, 4)).toEqual([...ids('kitchen', 2), ...ids('running', 2)]);
  });

  it('shares can come from what the shopper chose: departments the ranking holds but nobody browsed get no place', () => {
    // The device ranks hiking near running; the shopper browsed running and kitchen only.
    const ranked = [...ids('hiking', 10), ...ids('running', 10), ...ids('kitchen', 10)];
    const out = mixDepartments(ranked, dept, 8, ['kitchen', 'kitchen', 'kitchen', 'running']);
    expect(out).toEqual([...ids('running', 2), ...ids('kitchen', 6)]);
    expect(mixDepartments(ranked, dept, 8, [])).toEqual(ids('hiking', 8));
  });
});
