import { buildCatalogueSignals, buildShopSignals, DEFAULT_SIGNAL_PARAMS, type OrderLine } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import { answerSignalQueries, ordersOf, type SignalQuery } from './order-signals.ts';

const params = { ...DEFAULT_SIGNAL_PARAMS, minSupport: 1 };
// Users buy 0 then 1; user u3 buys 0 then 2, later than everyone else.
const events = [
  { user: 'u1', item: 0, ts: 100 },
  { user: 'u1', item: 1, ts: 200 },
  { user: 'u2', item: 0, ts: 300 },
  { user: 'u2', item: 1, ts: 400 },
  { user: 'u2', item: 3, ts: 400 },
  { user: 'u3', item: 0, ts: 500 },
  { user: 'u3', item: 2, ts: 600 },
];

describe('catalogue signals in the eval', () => {
  it('one order per (user, timestamp), the user as sequence key', () => {
    const lines = ordersOf(events);
    expect(new Set(lines.map((l) => l.order)).size).toBe(6);
    expect(lines[0]).toEqual({ order: 'u1\u0000100', item: '0', ts: 100, session: 'u1' });
  });

  it('counts no order at or after the step time: later events change nothing', () => {
    const q: SignalQuery = { ts: 500, recent: [0], last: [0] };
    const [a] = answerSignalQueries(ordersOf(events), [q], params);
    // Before 500: 0 was followed by 1 twice and by 3 once; 2 (bought at 600) is not known yet.
    expect([...(a?.forYou.keys() ?? [])]).toEqual([1, 3]);
    expect(a?.forYou.get(1)).toBe(1);
    expect(a?.forYou.get(3)).toBeCloseTo(0.5, 1);
    expect([...(a?.related ?? [])].map(([i]) => i).sort()).toEqual([1, 3]);
    expect(a?.together.size).toBe(0);
    // A flood of later orders (also at exactly ts 500) makes no difference.
    const later = [
      ...events,
      ...Array.from({ length: 20 }, (_, k) => [
        { user: `v${k}`, item: 0, ts: 500 },
        { user: `v${k}`, item: 2, ts: 500 + k + 1 },
      ]).flat(),
    ];
    const [b] = answerSignalQueries(ordersOf(later), [q], params);
    expect(b).toEqual(a);
    // After them, 2 leads.
    const [c] = answerSignalQueries(ordersOf(later), [{ ...q, ts: 10_000 }], params);
    expect([...(c?.forYou ?? [])][0]).toEqual([2, 1]);
  });

  it("gives the shop's repeat share as published at the step's time: a later reorder does not count", () => {
    const lines = ordersOf([...events, { user: 'u1', item: 1, ts: 700 }]);
    const queries = [
      { ts: 700, recent: [0], last: [0] },
      { ts: 800, recent: [0], last: [0] },
      { ts: 50, recent: [], last: [] },
    ];
    const answers = answerSignalQueries(lines, queries, params);
    // Returning customers' items: 1, then 1 and 3, then 2, all new; u1's 1 at 700 again.
    expect(answers.map((a) => a.repeatShare)).toEqual([0, 0.2, undefined]);
    queries.forEach((q, i) => {
      expect(answers[i]?.repeatShare).toBe(buildShopSignals(lines, { asOf: q.ts, params }).repeatShare);
    });
  });

  it('answers queries in any order as the batch builder would at each time', () => {
    const lines: OrderLine[] = ordersOf(events);
    const queries: SignalQuery[] = [
      { ts: 650, recent: [0], last: [0] },
      { ts: 250, recent: [0], last: [0] },
      { ts: 450, recent: [1, 0], last: [1] },
    ];
    const answers = answerSignalQueries(lines, queries, params);
    queries.forEach((q, i) => {
      const batch = buildCatalogueSignals(lines, { asOf: q.ts, params });
      const next0 = batch.get('0')?.next.map((n) => Number(n.id)) ?? [];
      const got = [...(answers[i]?.related.keys() ?? [])];
      if (q.last[0] === 0) expect(got.sort()).toEqual(next0.sort());
    });
    expect(answers[1]?.related.size).toBe(1);
    // At 450 the recent items 1 and 0: 0's next (1, 3) minus the sources themselves.
    expect([...(answers[2]?.forYou.keys() ?? [])]).toEqual([3]);
  });

  it("with the shop's orders passed, the user's own items are candidates too", () => {
    const q: SignalQuery = { ts: 10_000, recent: [1, 0], last: [1] };
    const [a] = answerSignalQueries(ordersOf(events), [q], params);
    expect(a?.forYou.has(1)).toBe(false);
    expect(a?.forYouShop.get(1)).toBeGreaterThan(0);
    // The other candidates are the same ones.
    const others = [...(a?.forYouShop ?? [])].filter(([i]) => i !== 0 && i !== 1);
    expect(others.map(([i]) => i).sort()).toEqual([...(a?.forYou.keys() ?? [])].sort());
  });

  it('the "customers like you" reference reads other customers\' orders before the step only', () => {
    const others = [...events, { user: 'u4', item: 2, ts: 550 }, { user: 'u4', item: 0, ts: 560 }];
    const q: SignalQuery = { ts: 600, recent: [0], last: [0], user: 'u3' };
    const [a] = answerSignalQueries(ordersOf(others), [q], params);
    // u1 {0, 1}, u2 {0, 1, 3} and u4 {2, 0} share item 0; u3's own orders are not a neighbour.
    expect(a?.customersLikeYou.get(0)).toBe(1);
    // Cosines 1/sqrt(2), 1/sqrt(3), 1/sqrt(2): 1 (u1 + u2) > 2 (u4) > 3 (u2).
    const s = (i: number) => a?.customersLikeYou.get(i) ?? 0;
    expect(s(1)).toBeCloseTo((Math.SQRT1_2 + 1 / Math.sqrt(3)) / (2 * Math.SQRT1_2 + 1 / Math.sqrt(3)), 10);
    expect(s(1)).toBeGreaterThan(s(2));
    expect(s(2)).toBeGreaterThan(s(3));
    // Before u4's orders, item 2 is nobody else's: only u3 itself bought it (at 600, not yet either).
    const [b] = answerSignalQueries(ordersOf(others), [{ ...q, ts: 540 }], params);
    expect(b?.customersLikeYou.has(2)).toBe(false);
    expect([...(b?.customersLikeYou.keys() ?? [])].sort()).toEqual([0, 1, 3]);
  });
});
