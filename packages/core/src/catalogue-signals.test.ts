import { describe, expect, it } from 'vitest';
import {
  buildCatalogueSignals,
  buildShopSignals,
  DEFAULT_SIGNAL_PARAMS,
  dequantizeWeight,
  groupOrders,
  type OrderLine,
  parseOrderLines,
  quantizePopularity,
  quantizeWeight,
  SignalAccumulator,
} from './catalogue-signals.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Orders as [order key, session, day, items]: each becomes one line per item. */
function log(orders: [string, string | undefined, number, string[]][]): OrderLine[] {
  return orders.flatMap(([order, session, day, items]) =>
    items.map((item) => ({ order, item, ts: T0 + day * DAY, ...(session ? { session } : {}) })),
  );
}

const params = { ...DEFAULT_SIGNAL_PARAMS, minSupport: 1, halfLifeMs: Number.POSITIVE_INFINITY };

describe('catalogue signals', () => {
  it('counts "together" within an order and "next" along a session, as decayed P(B | A)', () => {
    const s = buildCatalogueSignals(
      log([
        ['o1', 'c1', 0, ['a', 'b']],
        ['o2', 'c1', 1, ['c']],
        ['o3', 'c2', 2, ['a']],
        ['o4', 'c2', 3, ['c', 'd']],
      ]),
      { params },
    );
    const a = s.get('a');
    expect(a?.together).toEqual([{ id: 'b', weight: 0.5, support: 1 }]);
    // a is in 2 orders; c followed both, b (same order) never "next", d followed one.
    expect(a?.next).toEqual([
      { id: 'c', weight: 1, support: 2 },
      { id: 'd', weight: 0.5, support: 1 },
    ]);
    expect(s.get('c')?.next).toEqual([]);
    expect(s.get('a')?.popularity).toBe(2);
    expect(s.get('d')?.popularity).toBe(1);
  });

  it('has no "next" without a session key, and weighs the d-th next order 1/d', () => {
    const noSession = buildCatalogueSignals(
      log([
        ['o1', undefined, 0, ['a']],
        ['o2', undefined, 1, ['b']],
      ]),
      { params },
    );
    expect(noSession.get('a')?.next).toEqual([]);
    const s = buildCatalogueSignals(
      log([
        ['o1', 'c', 0, ['a']],
        ['o2', 'c', 1, ['b']],
        ['o3', 'c', 2, ['x']],
        ['o4', 'c', 3, ['y']],
        ['o5', 'c', 4, ['z']],
      ]),
      { params: { ...params, nextOrders: 3 } },
    );
    expect(s.get('a')?.next.map((n) => [n.id, n.weight])).toEqual([
      ['b', 1],
      ['x', 0.5],
      ['y', 1 / 3],
    ]);
  });

  it('drops neighbours below the minimum support', () => {
    const lines = log([
      ['o1', 'c1', 0, ['a', 'b', 'x']],
      ['o2', 'c2', 1, ['a', 'b']],
      ['o3', 'c3', 2, ['a', 'b', 'y']],
    ]);
    const two = buildCatalogueSignals(lines, { params: { ...params, minSupport: 2 } });
    expect(two.get('a')?.together.map((n) => [n.id, n.support])).toEqual([['b', 3]]);
    const four = buildCatalogueSignals(lines, { params: { ...params, minSupport: 4 } });
    expect(four.get('a')?.together).toEqual([]);
  });

  it('decays older pair occurrences by the half-life', () => {
    // a+old once at day 0, a+new once at day 30: with a 30-day half-life, old weighs half of new.
    const s = buildCatalogueSignals(
      log([
        ['o1', undefined, 0, ['a', 'old']],
        ['o2', undefined, 30, ['a', 'new']],
      ]),
      { params: { ...params, halfLifeMs: 30 * DAY } },
    );
    const t = s.get('a')?.together ?? [];
    expect(t.map((n) => n.id)).toEqual(['new', 'old']);
    const [w1, w2] = t.map((n) => n.weight) as [number, number];
    expect(w2 / w1).toBeCloseTo(0.5, 10);
    // Normalised by a's own decayed orders (1 + 0.5 at the newest time): 1/1.5 and 0.5/1.5.
    expect(w1).toBeCloseTo(1 / 1.5, 10);
  });

  it('counts no line at or after asOf, even inside an older order', () => {
    const lines: OrderLine[] = [
      ...log([
        ['o1', 'c', 0, ['a', 'b']],
        ['o2', 'c', 5, ['c']],
      ]),
      // A late line of o1 (e.g. an amended order) after the cut.
      { order: 'o1', item: 'late', ts: T0 + 10 * DAY, session: 'c' },
    ];
    const s = buildCatalogueSignals(lines, { asOf: T0 + 5 * DAY, params });
    expect(s.get('a')?.together.map((n) => n.id)).toEqual(['b']);
    expect(s.get('a')?.next).toEqual([]);
    expect(s.has('c')).toBe(false);
    expect(s.has('late')).toBe(false);
    const all = buildCatalogueSignals(lines, { params });
    expect(all.get('a')?.together.map((n) => n.id)).toEqual(['b', 'late']);
    expect(all.get('a')?.next.map((n) => n.id)).toEqual(['c']);
  });

  it('truncates to the top N with a deterministic order (weight, support, then id)', () => {
    const orders: [string, string | undefined, number, string[]][] = [];
    // a with z, y, x, w once each and with m twice: m first, then the ties by id.
    orders.push(['o0', undefined, 0, ['a', 'z', 'y', 'x', 'w', 'm']]);
    orders.push(['o1', undefined, 1, ['a', 'm']]);
    const s = buildCatalogueSignals(log(orders), { params: { ...params, topN: 3 } });
    expect(s.get('a')?.together.map((n) => n.id)).toEqual(['m', 'w', 'x']);
    const reversed = buildCatalogueSignals(log(orders).reverse(), { params: { ...params, topN: 3 } });
    expect(reversed.get('a')).toEqual(s.get('a'));
  });

  it('counts recent popularity in the window before asOf', () => {
    const lines = log([
      ['o1', undefined, 0, ['a']],
      ['o2', undefined, 50, ['a']],
      ['o3', undefined, 55, ['a', 'b']],
    ]);
    const s = buildCatalogueSignals(lines, { asOf: T0 + 60 * DAY, params: { ...params, recentMs: 30 * DAY } });
    expect(s.get('a')).toMatchObject({ popularity: 3, recentPopularity: 2 });
    // Without asOf, the window ends just after the last order.
    const open = buildCatalogueSignals(lines, { params: { ...params, recentMs: 6 * DAY } });
    expect(open.get('a')?.recentPopularity).toBe(2);
  });

  it('the incremental accumulator equals the batch build at every cut', () => {
    const lines = log([
      ['o1', 'c1', 0, ['a', 'b']],
      ['o2', 'c2', 1, ['b', 'c']],
      ['o3', 'c1', 2, ['c', 'd']],
      ['o4', 'c2', 3, ['a', 'd']],
      ['o5', 'c1', 4, ['a', 'b', 'd']],
    ]);
    const acc = new SignalAccumulator(params);
    for (const o of groupOrders(lines)) {
      const batch = buildCatalogueSignals(lines, { asOf: o.ts, params });
      for (const [id, sig] of batch) expect(acc.signals(id, o.ts)).toEqual(sig);
      acc.add(o.items, o.ts, o.session);
    }
    expect(acc.add(['a'], T0 - DAY)).toBe(false);
  });

  it("publishes the shop's repeat share: of returning customers' items, those bought before, strictly before asOf", () => {
    const lines = log([
      ['o1', 'c1', 0, ['a', 'b']],
      ['o2', 'c1', 1, ['a', 'c']],
      ['o3', 'c2', 2, ['a']],
      // No customer key: counts for popularity, not for the share.
      ['o4', undefined, 3, ['a', 'a2']],
      ['o5', 'c2', 4, ['a', 'b', 'd']],
    ]);
    // First orders (o1, o3) do not count; o2: a again + c; o5: a again + b, d: 2 of 5.
    expect(buildShopSignals(lines, { params }).repeatShare).toBe(0.4);
    // Before o5 (day 4): 1 of 2; o5 itself does not count.
    expect(buildShopSignals(lines, { asOf: T0 + 4 * DAY, params }).repeatShare).toBe(0.5);
    // Before any customer returned: none yet.
    expect(buildShopSignals(lines, { asOf: T0 + DAY, params }).repeatShare).toBeUndefined();
    // An export without customer or session keys has none.
    const anonymous = lines.map(({ order, item, ts }) => ({ order, item, ts }));
    expect(buildShopSignals(anonymous, { params }).repeatShare).toBeUndefined();
    // Two decimals, as a manifest publishes it.
    const acc = new SignalAccumulator(params);
    acc.add(['a', 'b', 'c'], T0, 'c');
    acc.add(['a'], T0 + DAY, 'c');
    expect(acc.repeatShare()).toBe(1);
    acc.add(['d', 'e'], T0 + 2 * DAY, 'c');
    expect(acc.repeatShare()).toBe(0.33);
  });

  it('survives a long log with a short half-life (no overflow, no NaN)', () => {
    const acc = new SignalAccumulator({ ...params, halfLifeMs: 60_000 });
    for (let d = 0; d < 200; d++) acc.add(['a', d % 2 ? 'b' : 'c'], T0 + d * DAY);
    const t = acc.signals('a').together;
    expect(t.every((n) => Number.isFinite(n.weight) && n.weight >= 0 && n.weight <= 1)).toBe(true);
    expect(t[0]?.id).toBe('b');
  });

  it('parses order exports, skipping and counting bad lines', () => {
    const text = [
      '{"order": "o1", "item": "a", "ts": 1000, "customer": 7}',
      '{"order": 2, "item": 5, "ts": "2024-01-01T00:00:00Z", "session": "s"}',
      '{"order": "o3", "item": "a"}',
      'not json',
      '',
    ].join('\n');
    const { lines, skipped } = parseOrderLines(text);
    expect(lines).toEqual([
      { order: 'o1', item: 'a', ts: 1000, session: '7' },
      { order: '2', item: '5', ts: T0, session: 's' },
    ]);
    expect(skipped).toBe(2);
  });

  it('quantizes weights and popularity into one byte', () => {
    expect(quantizeWeight(0)).toBe(0);
    expect(quantizeWeight(1)).toBe(255);
    expect(quantizeWeight(2)).toBe(255);
    expect(quantizeWeight(1e-9)).toBe(1);
    for (const w of [0.001, 0.01, 0.1, 0.5]) {
      expect(Math.abs(dequantizeWeight(quantizeWeight(w)) - w) / w).toBeLessThan(0.1);
    }
    expect(quantizePopularity(0, 10)).toBe(0);
    expect(quantizePopularity(10, 10)).toBe(255);
    expect(quantizePopularity(1, 1000)).toBeGreaterThan(0);
  });
});
