import { seededRandom } from '@portrait/core';
import { PRODUCTS, type ShopProduct } from './src/products.ts';

/**
 * The demo shop's SYNTHETIC order history: no real shopper placed these orders. A real merchant
 * imports its own order export; the demo has none, so it generates one from its products, seeded
 * (the same log on every machine, so the import stays cached). It gives the on-device recommenders
 * ("related", "often bought together", "for you") catalogue signals to read.
 *
 * How shoppers buy here: each synthetic customer has a home department and sometimes a
 * complementary one (coffee with kitchen, running with audio, …); an order holds one product and,
 * usually, some of its fixed companions: products of the same department and one of the
 * complementary department, so pairs repeat across orders (min support 2 keeps them).
 */

/** One line of the log, as `importCatalogue({ ordersPath })` reads it. */
export interface DemoOrderLine {
  order: string;
  item: string;
  ts: number;
  customer: string;
}

// Departments shoppers buy across (both ways): a coffee machine with beans, running shoes with earbuds.
const COMPLEMENTS: Record<string, string> = {
  Coffee: 'Kitchen',
  Kitchen: 'Coffee',
  Running: 'Audio',
  Audio: 'Gaming',
  Gaming: 'Audio',
  Hiking: 'Running',
  Baby: 'Beauty',
  Beauty: 'Baby',
  Office: 'Books',
  Books: 'Office',
  Garden: 'Pets',
  Pets: 'Garden',
};

const DAY = 86_400_000;
// A fixed end, not "now": the log (and so the import's cache key) must not change between runs.
const END = Date.UTC(2026, 10, 30);

export interface DemoOrderOptions {
  seed?: number;
  customers?: number;
  /** Days the log spans, ending at a fixed date. */
  days?: number;
}

/** The synthetic order log, deterministic for a seed. */
export function demoOrderHistory(
  products: readonly ShopProduct[] = PRODUCTS,
  { seed = 18, customers = 600, days = 180 }: DemoOrderOptions = {},
): DemoOrderLine[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const byDept = new Map<string, ShopProduct[]>();
  for (const p of products) byDept.set(p.department, [...(byDept.get(p.department) ?? []), p]);
  const departments = [...byDept.keys()];
  // Each product's fixed companions: the next two of its department (by position) and one of the
  // complementary department, so the same pairs recur across shoppers.
  const companions = new Map<string, ShopProduct[]>();
  for (const [dept, list] of byDept) {
    const other = byDept.get(COMPLEMENTS[dept] ?? '') ?? [];
    list.forEach((p, i) => {
      const same = [list[(i + 1) % list.length], list[(i + 2) % list.length]].filter(
        (o): o is ShopProduct => !!o && o.id !== p.id,
      );
      const cross = other.length ? [other[i % other.length] as ShopProduct] : [];
      companions.set(p.id, [...same, ...cross]);
    });
  }
  const lines: DemoOrderLine[] = [];
  let orderNo = 0;
  for (let c = 0; c < customers; c++) {
    const customer = `demo-customer-${c + 1}`;
    const home = pick(departments);
    const second = random() < 0.5 ? (COMPLEMENTS[home] ?? home) : home;
    const orders = 2 + Math.floor(random() * 4);
    // A customer's orders in time order, spread over the span ("bought next" follows them).
    let ts = END - days * DAY + Math.floor(random() * 30 * DAY);
    for (let o = 0; o < orders && ts < END; o++) {
      const dept = random() < 0.75 ? home : second;
      const anchor = pick(byDept.get(dept) ?? products);
      const items = new Set([anchor.id]);
      for (const comp of companions.get(anchor.id) ?? []) if (random() < 0.55) items.add(comp.id);
      // Now and then something unrelated from the same department: noise the support floor drops.
      if (random() < 0.2) items.add(pick(byDept.get(dept) ?? products).id);
      const order = `demo-order-${++orderNo}`;
      for (const item of items) lines.push({ order, item, ts, customer });
      ts += Math.floor((3 + random() * 30) * DAY);
    }
  }
  return lines;
}

/** The log as JSON lines (the import's file format). */
export const demoOrderHistoryText = (lines: readonly DemoOrderLine[] = demoOrderHistory()): string =>
  lines.map((l) => JSON.stringify(l)).join('\n');
