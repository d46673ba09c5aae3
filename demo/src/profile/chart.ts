// The "for engineers" charts' arithmetic, pure so it is unit-tested without a browser: department
// shares from what the worker's explain() names, the session's shares from the shop's own list,
// a 2-D plane for the map, and map labels placed so that none covers another.

import type { Share } from './words.ts';

/** Shares of `weights` by key, renormalised, largest first; non-finite or non-positive weights skipped. */
export function normalise(weights: Map<string, number>): Share[] {
  const kept = [...weights].filter(([, w]) => Number.isFinite(w) && w > 0);
  const total = kept.reduce((a, [, w]) => a + w, 0);
  if (!(total > 0)) return [];
  return kept.map(([label, w]) => ({ label, share: w / total })).sort((a, b) => b.share - a.share);
}

/**
 * The department a label names: the one whose products' category paths are the label or sit under
 * it ("Sports > Running > Shoes" → Running). A label over several departments ("Home": Kitchen,
 * Coffee, Office, Garden) names none, so it is left out rather than given to one of them.
 */
export function labelDepartment(label: string, categories: Map<string, string>): string | undefined {
  const found = new Set<string>();
  for (const [category, department] of categories)
    if (category === label || category.startsWith(`${label} >`)) found.add(department);
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * Department shares from explain()'s label weights. explain() spreads each profile source over the
 * labels by a softmax of cosine at temperature 0.05, so a centroid sitting between kitchen and
 * coffee is named as coffee alone. Raising each weight to `alpha` = 0.05 / T re-reads it at the
 * display's temperature T (exact for one source, close for well-separated ones): alpha 0.5 is
 * T = 0.1, where that centroid shows as both departments.
 */
export function explainedShares(
  explained: readonly { label: string; weight: number }[],
  categories: Map<string, string>,
  alpha = 0.5,
): Share[] {
  const sums = new Map<string, number>();
  for (const { label, weight } of explained) {
    const d = labelDepartment(label, categories);
    if (d && Number.isFinite(weight) && weight > 0) sums.set(d, (sums.get(d) ?? 0) + weight ** alpha);
  }
  return normalise(sums);
}

/**
 * Department shares of the products the worker ranked, each weighing a softmax of its score at
 * `temperature` (the fallback when explain() names nothing: a loaded model with no labels set).
 */
export function rankedShares(
  ranked: readonly { id: string; score: number }[],
  departmentOf: (id: string) => string | undefined,
  temperature = 0.1,
): Share[] {
  const top = Math.max(...ranked.map((r) => r.score).filter(Number.isFinite));
  const sums = new Map<string, number>();
  for (const r of ranked) {
    const d = departmentOf(r.id);
    if (d && Number.isFinite(r.score)) sums.set(d, (sums.get(d) ?? 0) + Math.exp((r.score - top) / temperature));
  }
  return normalise(sums);
}

/**
 * Department shares of the last products viewed (latest first), each weighted as the profile's
 * short-term vector weighs its events: a running mean whose step never falls below `step`, so the
 * latest takes `step`, the one before `step·(1-step)`, and the oldest what is left.
 */
export function recentShares(departments: readonly (string | undefined)[], step: number): Share[] {
  const sums = new Map<string, number>();
  const n = departments.length;
  departments.forEach((d, i) => {
    const w = i === n - 1 ? (1 - step) ** i : step * (1 - step) ** i;
    if (d) sums.set(d, (sums.get(d) ?? 0) + w);
  });
  return normalise(sums);
}

/**
 * The first two principal coordinates of `vectors` (classical PCA through the Gram matrix of the
 * centred rows, by power iteration): a point per row, [0, 0] for each when there is no spread.
 */
export function plane(vectors: readonly Float32Array[]): [number, number][] {
  const n = vectors.length;
  const dim = Math.min(...vectors.map((v) => v.length));
  if (n === 0 || !(dim > 0)) return vectors.map(() => [0, 0]);
  const mean = new Float64Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) mean[i] = (mean[i] as number) + (v[i] as number) / n;
  const gram = vectors.map((a) =>
    vectors.map((b) => {
      let s = 0;
      for (let i = 0; i < dim; i++)
        s += ((a[i] as number) - (mean[i] as number)) * ((b[i] as number) - (mean[i] as number));
      return s;
    }),
  );
  const coords: [number, number][] = vectors.map(() => [0, 0]);
  const found: { u: number[]; l: number }[] = [];
  for (let k = 0; k < 2; k++) {
    // A fixed, uneven start: the same catalogue always draws the same map.
    let u = Array.from({ length: n }, (_, i) => 1 + i / n);
    let l = 0;
    for (let it = 0; it < 200; it++) {
      for (const f of found) {
        const dot = u.reduce((s, x, i) => s + x * (f.u[i] as number), 0);
        u = u.map((x, i) => x - dot * (f.u[i] as number));
      }
      const next = gram.map((row) => row.reduce((s, g, j) => s + g * (u[j] as number), 0));
      l = Math.hypot(...next);
      if (!(l > 1e-12)) break;
      u = next.map((x) => x / l);
    }
    if (!(l > 1e-12)) break;
    // The sign of an eigenvector is arbitrary: make the largest coordinate positive.
    const big = u.reduce((b, x) => (Math.abs(x) > Math.abs(b) ? x : b), 0);
    if (big < 0) u = u.map((x) => -x);
    found.push({ u, l });
    u.forEach((x, i) => {
      (coords[i] as [number, number])[k] = x * Math.sqrt(l);
    });
  }
  return coords;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const overlaps = (a: Rect, b: Rect, gap = 0) =>
  a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;

/** One label to place: the point it names and its text's size. */
export interface LabelBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Places each label (its top-left corner) near its point, in order: the first spot around the
 * point, nearest first, where the label stays inside `bounds` and covers neither a label already
 * placed nor any point (each point a `dot`-sized square). A label with no free spot within
 * reach takes the spot it overlaps least. Returns the rectangles, in the labels' order.
 */
export function placeLabels(labels: readonly LabelBox[], bounds: { w: number; h: number }, dot = 4, gap = 2): Rect[] {
  const dots: Rect[] = labels.map((l) => ({ x: l.x - dot, y: l.y - dot, w: 2 * dot, h: 2 * dot }));
  const placed: Rect[] = [];
  const inside = (r: Rect) => r.x >= 0 && r.y >= 0 && r.x + r.w <= bounds.w && r.y + r.h <= bounds.h;
  const clash = (r: Rect) =>
    placed.reduce((s, p) => s + (overlaps(r, p, gap) ? 1 : 0), 0) +
    dots.reduce((s, d) => s + (overlaps(r, d) ? 1 : 0), 0);
  for (const l of labels) {
    let best: { r: Rect; cost: number } | undefined;
    // Right, left, above, below, then the diagonals, at growing distances from the point.
    search: for (const reach of [1, 2, 3.5, 5, 7, 9.5, 12]) {
      const d = dot + gap * reach;
      const spots: [number, number][] = [
        [l.x + d, l.y - l.h / 2],
        [l.x - d - l.w, l.y - l.h / 2],
        [l.x - l.w / 2, l.y - d - l.h],
        [l.x - l.w / 2, l.y + d],
        [l.x + d, l.y - d - l.h],
        [l.x + d, l.y + d],
        [l.x - d - l.w, l.y - d - l.h],
        [l.x - d - l.w, l.y + d],
      ];
      for (const [x, y] of spots) {
        const r = { x, y, w: l.w, h: l.h };
        if (!inside(r)) continue;
        const cost = clash(r);
        if (cost === 0) {
          best = { r, cost };
          break search;
        }
        if (!best || cost < best.cost) best = { r, cost };
      }
    }
    // Nowhere inside (a label wider than the map): pinned to the top-left corner.
    const r = best?.r ?? { x: 0, y: 0, w: l.w, h: l.h };
    placed.push(r);
  }
  return placed;
}
