/**
 * Catalogue signals a merchant derives from its own order log and publishes with the item vectors:
 * per item, the items "bought together" with it, the items "bought next" after it, its popularity
 * and its recent popularity. Pure and shared: the collector's import builds them from the order
 * export, the eval builds the same ones from each data set's events strictly before each step.
 *
 * Definitions (one order = the lines sharing an `order` key; its time = its earliest line):
 * - **bought together** (A -> B): B in the same order as A.
 * - **bought next** (A -> B): B in one of the next `nextOrders` orders of the same sequence key
 *   (`session` or `customer` on the order lines; without one an order starts no sequence and only
 *   "together" exists), weighted 1/d for the d-th next order. A -> A never counts.
 * - **weight**: sum over pair occurrences of 2^(-age / halfLife), divided by the same decayed sum
 *   over A's orders: a decayed P(B | A), capped at 1. Age is measured from the later order.
 * - **support**: the raw (undecayed) number of pair occurrences; pairs below `minSupport` are dropped.
 * - **popularity**: orders holding the item; **recent popularity**: those in [asOf - recentMs, asOf).
 * - **repeat share** (one number for the shop): of the items in a returning customer's orders
 *   (orders after the first of a sequence key), the share that customer had bought before. It
 *   tells a replenishment shop (a gift wholesaler: 0.38 on online-retail-dev, 0.18 already after
 *   its first 5 % of orders) from a discovery one (Amazon Industrial 0.06, Office 0.07); first
 *   orders are left out so a young log does not read as a discovery shop. "For you" weighs the
 *   shopper's own orders and what sells now by it (`forYouWeights`).
 * Only lines strictly before `asOf` count (a build "as of" a time never sees that time or later).
 */

/** One line of a merchant's order export. */
export interface OrderLine {
  order: string;
  item: string;
  /** Epoch ms. */
  ts: number;
  /** A session or customer key that orders a shopper's orders into a sequence ("bought next"). */
  session?: string;
}

/** How signals are built. */
export interface SignalParams {
  /** Neighbours kept per item and per kind. */
  topN: number;
  /** Half-life of a pair occurrence's weight (ms). */
  halfLifeMs: number;
  /** Fewest raw pair occurrences a neighbour needs. */
  minSupport: number;
  /** How many later orders of a sequence count as "next". */
  nextOrders: number;
  /** Window of recent popularity (ms). */
  recentMs: number;
}

const DAY = 86_400_000;

export const DEFAULT_SIGNAL_PARAMS: SignalParams = {
  topN: 8,
  halfLifeMs: 180 * DAY,
  minSupport: 2,
  nextOrders: 3,
  recentMs: 30 * DAY,
};

/** One neighbour of an item. */
export interface Neighbour {
  id: string;
  /** Decayed conditional weight, 0..1. */
  weight: number;
  /** Raw pair occurrences. */
  support: number;
}

/** What is published per item. */
export interface ItemSignals {
  next: Neighbour[];
  together: Neighbour[];
  /** Orders holding the item before asOf. */
  popularity: number;
  /** Orders holding the item in [asOf - recentMs, asOf). */
  recentPopularity: number;
}

interface Pair {
  w: number;
  n: number;
}

// Decayed sums are kept as sum 2^((ts - ref) / halfLife); past this exponent every sum is rescaled
// so none overflows (a long log with a short half-life).
const MAX_EXPONENT = 500;

/**
 * Builds signals incrementally, one order at a time in time order (the eval's sweep); `signals(id)`
 * answers for everything added so far. `buildCatalogueSignals` is this over a whole log.
 */
export class SignalAccumulator {
  private ref: number | undefined;
  private lastTs = Number.NEGATIVE_INFINITY;
  private readonly itemW = new Map<string, number>();
  private readonly times = new Map<string, number[]>();
  private readonly next = new Map<string, Map<string, Pair>>();
  private readonly together = new Map<string, Map<string, Pair>>();
  private readonly sequences = new Map<string, string[][]>();
  // Per sequence key, every item it bought (the repeat share's "before").
  private readonly bought = new Map<string, Set<string>>();
  private returningItems = 0;
  private repeatItems = 0;

  constructor(readonly params: SignalParams = DEFAULT_SIGNAL_PARAMS) {}

  /** Adds one order (its distinct items); orders must come in non-decreasing time. Returns false if refused. */
  add(items: readonly string[], ts: number, session?: string): boolean {
    if (!Number.isFinite(ts) || ts < this.lastTs) return false;
    this.lastTs = ts;
    const distinct = [...new Set(items)];
    if (distinct.length === 0) return false;
    const w = this.weightAt(ts);
    for (const a of distinct) {
      this.itemW.set(a, (this.itemW.get(a) ?? 0) + w);
      let t = this.times.get(a);
      if (!t) {
        t = [];
        this.times.set(a, t);
      }
      t.push(ts);
      for (const b of distinct) if (b !== a) bump(this.together, a, b, w);
    }
    if (session !== undefined) {
      const prev = this.sequences.get(session) ?? [];
      prev.forEach((order, k) => {
        // prev is newest first: the order just before this one is d = 1.
        const wd = w / (k + 1);
        for (const a of order) for (const b of distinct) if (b !== a) bump(this.next, a, b, wd);
      });
      prev.unshift(distinct);
      if (prev.length > this.params.nextOrders) prev.length = this.params.nextOrders;
      this.sequences.set(session, prev);
      const had = this.bought.get(session);
      if (had) {
        for (const a of distinct) {
          this.returningItems++;
          if (had.has(a)) this.repeatItems++;
          else had.add(a);
        }
      } else this.bought.set(session, new Set(distinct));
    }
    return true;
  }

  /**
   * The shop's repeat share so far (see the module's definitions) to two decimals, as a manifest
   * publishes it: one shop-wide number, nothing finer about its customers. Undefined until a
   * customer returns (so always without a sequence key).
   */
  repeatShare(): number | undefined {
    return this.returningItems > 0 ? Math.round((100 * this.repeatItems) / this.returningItems) / 100 : undefined;
  }

  private weightAt(ts: number): number {
    const h = this.params.halfLifeMs;
    if (!(h > 0) || !Number.isFinite(h)) return 1;
    this.ref ??= ts;
    let e = (ts - this.ref) / h;
    if (e > MAX_EXPONENT) {
      const f = 2 ** -e;
      for (const [k, v] of this.itemW) this.itemW.set(k, v * f);
      for (const m of [this.next, this.together]) for (const row of m.values()) for (const p of row.values()) p.w *= f;
      this.ref = ts;
      e = 0;
    }
    return 2 ** e;
  }

  /** Items seen so far, in first-seen order. */
  items(): string[] {
    return [...this.times.keys()];
  }

  /** Orders holding `item` in [from, to). */
  countBetween(item: string, from: number, to: number): number {
    const t = this.times.get(item);
    return t ? lowerBound(t, to) - lowerBound(t, from) : 0;
  }

  /**
   * The item's signals from everything added so far; `asOf` only places the recent-popularity
   * window (default: just after the last order, so an old export still has a recent list).
   */
  signals(item: string, asOf = Number.POSITIVE_INFINITY): ItemSignals {
    const n = this.times.get(item)?.length ?? 0;
    const end = Number.isFinite(asOf) ? asOf : this.lastTs + 1;
    const recentFrom = end - this.params.recentMs;
    return {
      next: this.neighbours('next', item),
      together: this.neighbours('together', item),
      popularity: n,
      recentPopularity: this.countBetween(item, recentFrom, end),
    };
  }

  /** Top neighbours of one kind, strongest first, ties by id (deterministic). */
  neighbours(kind: 'next' | 'together', item: string): Neighbour[] {
    const row = (kind === 'next' ? this.next : this.together).get(item);
    const base = this.itemW.get(item) ?? 0;
    if (!row || !(base > 0)) return [];
    const out: Neighbour[] = [];
    for (const [id, p] of row) {
      if (p.n >= this.params.minSupport) out.push({ id, weight: Math.min(1, p.w / base), support: p.n });
    }
    out.sort((x, y) => y.weight - x.weight || y.support - x.support || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    return out.slice(0, Math.max(0, this.params.topN));
  }
}

function bump(m: Map<string, Map<string, Pair>>, a: string, b: string, w: number): void {
  let row = m.get(a);
  if (!row) {
    row = new Map();
    m.set(a, row);
  }
  const p = row.get(b);
  if (p) {
    p.w += w;
    p.n++;
  } else row.set(b, { w, n: 1 });
}

function lowerBound(t: readonly number[], x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((t[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Groups order lines into orders (time = earliest line), sorted by time then order key. */
export function groupOrders(
  lines: readonly OrderLine[],
  before = Number.POSITIVE_INFINITY,
): { order: string; ts: number; items: string[]; session?: string }[] {
  const byKey = new Map<string, { order: string; ts: number; items: string[]; session?: string }>();
  for (const l of lines) {
    // The cut is per line: nothing at or after `before` counts, not even as part of an older order.
    if (!(l.ts < before) || !Number.isFinite(l.ts)) continue;
    let o = byKey.get(l.order);
    if (!o) {
      o = { order: l.order, ts: l.ts, items: [] };
      byKey.set(l.order, o);
    }
    if (l.ts < o.ts) o.ts = l.ts;
    if (o.session === undefined && l.session !== undefined) o.session = l.session;
    if (!o.items.includes(l.item)) o.items.push(l.item);
  }
  return [...byKey.values()].sort((a, b) => a.ts - b.ts || (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
}

/**
 * Every item's signals from an order log, counting only lines strictly before `asOf` (default:
 * all), and the shop's repeat share. Items appear in first-order order.
 */
export function buildShopSignals(
  lines: readonly OrderLine[],
  o: { asOf?: number; params?: Partial<SignalParams> } = {},
): { items: Map<string, ItemSignals>; repeatShare: number | undefined } {
  const acc = new SignalAccumulator({ ...DEFAULT_SIGNAL_PARAMS, ...o.params });
  const asOf = o.asOf ?? Number.POSITIVE_INFINITY;
  for (const order of groupOrders(lines, asOf)) acc.add(order.items, order.ts, order.session);
  return { items: new Map(acc.items().map((id) => [id, acc.signals(id, asOf)])), repeatShare: acc.repeatShare() };
}

/** `buildShopSignals`' per-item signals alone. */
export function buildCatalogueSignals(
  lines: readonly OrderLine[],
  o: { asOf?: number; params?: Partial<SignalParams> } = {},
): Map<string, ItemSignals> {
  return buildShopSignals(lines, o).items;
}

/**
 * Parses an order export (JSON lines `{order, item, ts, session?|customer?}`; `ts` epoch ms or an
 * ISO date; `order` and `item` strings or numbers), skipping and counting unusable lines.
 */
export function parseOrderLines(text: string): { lines: OrderLine[]; skipped: number } {
  const lines: OrderLine[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    try {
      const o = JSON.parse(raw) as Record<string, unknown>;
      const key = (v: unknown) => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined);
      const order = key(o.order);
      const item = key(o.item);
      const ts = typeof o.ts === 'number' ? o.ts : typeof o.ts === 'string' ? Date.parse(o.ts) : Number.NaN;
      if (!order || !item || !Number.isFinite(ts)) {
        skipped++;
        continue;
      }
      const line: OrderLine = { order, item, ts };
      const session = key(o.session) ?? key(o.customer);
      if (session !== undefined) line.session = session;
      lines.push(line);
    } catch {
      skipped++;
    }
  }
  return { lines, skipped };
}

// Weights travel as one byte on a square-root scale: small conditional probabilities (most of
// them) keep resolution (1/255 -> 1.5e-5) where a linear byte would round them to 0.
/** A 0..1 weight as the byte a shard carries. */
export function quantizeWeight(w: number): number {
  if (!(w > 0)) return 0;
  return Math.max(1, Math.min(255, Math.round(Math.sqrt(Math.min(1, w)) * 255)));
}

/** The weight a shard's byte stands for. */
export function dequantizeWeight(q: number): number {
  return (q / 255) ** 2;
}

/** Popularity as a byte relative to the catalogue's most popular item, log scale (the eval's `pop`). */
export function quantizePopularity(n: number, max: number): number {
  if (!(n > 0) || !(max > 0)) return 0;
  return Math.max(1, Math.min(255, Math.round((Math.log1p(n) / Math.log1p(max)) * 255)));
}
