import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '../products.ts';
import { explainedShares, labelDepartment, overlaps, placeLabels, plane, rankedShares, recentShares } from './chart.ts';

const categories = new Map(PRODUCTS.flatMap((p) => (p.category ? [[p.category, p.department] as const] : [])));
const share = (list: { label: string; share: number }[], label: string) =>
  list.find((s) => s.label === label)?.share ?? 0;

describe('engineers charts', () => {
  it('reads a label into the one department under it, and no department for a label over several', () => {
    expect(labelDepartment('Sports > Running > Shoes', categories)).toBe('Running');
    expect(labelDepartment('Sports', categories)).toBe('Running');
    expect(labelDepartment('Books', categories)).toBe('Books');
    expect(labelDepartment('Home', categories)).toBeUndefined();
    expect(labelDepartment('Home > Kit', categories)).toBeUndefined();
  });

  it("keeps a running interest visible after one coffee purchase in explain()'s answer (measured in the demo)", () => {
    // explain(20) in Chromium after 3 running and 3 kitchen views, then one coffee bought (rounded).
    const after = [
      { label: 'Home > Coffee > Grinders', weight: 0.585 },
      { label: 'Home > Coffee > Beans', weight: 0.151 },
      { label: 'Home > Coffee > Machines', weight: 0.054 },
      { label: 'Sports > Running > Shoes', weight: 0.054 },
      { label: 'Home > Coffee > Accessories', weight: 0.041 },
      { label: 'Home > Coffee > Brewers', weight: 0.04 },
      { label: 'Sports > Running > Accessories', weight: 0.017 },
      { label: 'Home > Kitchen > Appliances', weight: 0.013 },
      { label: 'Home > Kitchen > Cookware', weight: 0.01 },
      { label: 'Sports > Running > Apparel', weight: 0.009 },
      { label: 'Home > Kitchen > Prep', weight: 0.007 },
      { label: 'Sports > Running > Watches', weight: 0.005 },
      { label: 'Home > Kitchen > Knives', weight: 0.004 },
      { label: 'Home', weight: 0.004 },
    ];
    const raw = explainedShares(after, categories, 1);
    const shown = explainedShares(after, categories);
    expect(raw[0]?.label).toBe('Coffee');
    expect(shown[0]?.label).toBe('Coffee');
    // At the display's temperature the running interest keeps a bar well above the raw answer's.
    expect(share(shown, 'Running')).toBeGreaterThan(0.15);
    expect(share(shown, 'Running')).toBeGreaterThan(share(raw, 'Running'));
    expect(share(shown, 'Kitchen')).toBeGreaterThan(0.05);
    expect(shown.reduce((a, s) => a + s.share, 0)).toBeCloseTo(1, 12);
    // The ambiguous "Home" went to nobody.
    expect(shown.map((s) => s.label).sort()).toEqual(['Coffee', 'Kitchen', 'Running']);
    expect(explainedShares([], categories)).toEqual([]);
    expect(explainedShares([{ label: 'Books', weight: Number.NaN }], categories)).toEqual([]);
  });

  it("weighs the session's products as the short-term vector does: two departments both show", () => {
    const s = recentShares(['Kitchen', 'Kitchen', 'Kitchen', 'Running', 'Running', 'Running'], 0.3);
    expect(share(s, 'Kitchen')).toBeCloseTo(0.3 + 0.21 + 0.147, 10);
    expect(share(s, 'Running')).toBeGreaterThan(0.3);
    expect(s.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 12);
    expect(recentShares(['Coffee'], 0.3)).toEqual([{ label: 'Coffee', share: 1 }]);
    expect(recentShares([], 0.3)).toEqual([]);
    expect(recentShares([undefined, 'Books'], 0.3)).toEqual([{ label: 'Books', share: 1 }]);
  });

  it('shares of ranked products soften with temperature and skip unknown products', () => {
    const ranked = [
      { id: 'a', score: 1 },
      { id: 'b', score: 0.8 },
      { id: 'c', score: Number.NaN },
      { id: 'x', score: 2 },
    ];
    const dept = (id: string) => ({ a: 'Coffee', b: 'Running', c: 'Books' })[id];
    const sharp = rankedShares(ranked, dept, 0.05);
    const soft = rankedShares(ranked, dept, 0.5);
    expect(sharp.map((s) => s.label)).toEqual(['Coffee', 'Running']);
    expect(share(soft, 'Running')).toBeGreaterThan(share(sharp, 'Running'));
    expect(rankedShares([], dept)).toEqual([]);
  });

  it('finds the plane a set of vectors spreads over, the same every time', () => {
    const v = (...x: number[]) => Float32Array.from(x);
    const pts = plane([v(1, 0, 0), v(-1, 0, 0), v(0, 0.5, 0), v(0, -0.5, 0)]);
    // First axis: the spread along x (±1); second: along y (±0.5).
    expect(Math.abs(pts[0]?.[0] ?? 0)).toBeCloseTo(1, 6);
    expect(Math.abs(pts[2]?.[1] ?? 0)).toBeCloseTo(0.5, 6);
    expect(Math.abs(pts[2]?.[0] ?? 1)).toBeLessThan(1e-6);
    expect(plane([v(1, 0, 0), v(-1, 0, 0), v(0, 0.5, 0), v(0, -0.5, 0)])).toEqual(pts);
    expect(plane([v(1, 1), v(1, 1)])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(plane([])).toEqual([]);
  });

  it('places labels of crowded points so that no two overlap and each stays in the box', () => {
    // Garden, Baby and Pets a few units apart, as the catalogue's plane put them; Audio on Gaming.
    const labels = [
      { x: 200, y: 150, w: 40, h: 15 },
      { x: 204, y: 153, w: 30, h: 15 },
      { x: 198, y: 156, w: 28, h: 15 },
      { x: 300, y: 80, w: 35, h: 15 },
      { x: 300, y: 80, w: 42, h: 15 },
      { x: 470, y: 5, w: 60, h: 15 },
    ];
    const rects = placeLabels(labels, { w: 480, h: 300 });
    for (const [i, a] of rects.entries()) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + a.w).toBeLessThanOrEqual(480);
      expect(a.y + a.h).toBeLessThanOrEqual(300);
      for (const b of rects.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
      // Each stays near its own point.
      const l = labels[i] as { x: number; y: number };
      expect(Math.hypot(a.x + a.w / 2 - l.x, a.y + a.h / 2 - l.y)).toBeLessThan(80);
    }
  });
});
