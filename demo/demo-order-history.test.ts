import { buildCatalogueSignals, parseOrderLines } from '@portrait/core';
import { describe, expect, it } from 'vitest';
import { demoOrderHistory, demoOrderHistoryText } from './demo-order-history.ts';
import { PRODUCTS } from './src/products.ts';

describe("the demo shop's synthetic order history", () => {
  it('is the same log on every run (the import cache is keyed on it)', () => {
    expect(demoOrderHistoryText()).toBe(demoOrderHistoryText());
    expect(demoOrderHistoryText(demoOrderHistory(PRODUCTS, { seed: 19 }))).not.toBe(demoOrderHistoryText());
  });

  it('names only the shop products, with timestamps and customers the import reads', () => {
    const ids = new Set(PRODUCTS.map((p) => p.id));
    const { lines, skipped } = parseOrderLines(demoOrderHistoryText());
    expect(skipped).toBe(0);
    expect(lines.length).toBeGreaterThan(1000);
    expect(lines.every((l) => ids.has(l.item) && Number.isFinite(l.ts) && l.session)).toBe(true);
  });

  it('gives most products bought-together neighbours at the default min support, some across departments', () => {
    const { lines } = parseOrderLines(demoOrderHistoryText());
    const signals = buildCatalogueSignals(lines);
    const dept = new Map(PRODUCTS.map((p) => [p.id, p.department]));
    const withTogether = PRODUCTS.filter((p) => (signals.get(p.id)?.together.length ?? 0) > 0);
    expect(withTogether.length / PRODUCTS.length).toBeGreaterThan(0.9);
    const withNext = PRODUCTS.filter((p) => (signals.get(p.id)?.next.length ?? 0) > 0);
    expect(withNext.length / PRODUCTS.length).toBeGreaterThan(0.5);
    // Coffee and kitchen are bought together (a machine with beans), not only within one department.
    const coffee = PRODUCTS.filter((p) => p.department === 'Coffee');
    const cross = coffee.filter((p) => signals.get(p.id)?.together.some((n) => dept.get(n.id) === 'Kitchen'));
    expect(cross.length).toBeGreaterThan(coffee.length / 2);
  });
});
