import {
  DEFAULT_RECOMMENDER,
  DEFAULT_SIGNAL_PARAMS,
  dequantizeWeight,
  groupOrders,
  type NeighbourLists,
  neighbourScores,
  type OrderLine,
  quantizeWeight,
  recencyWeights,
  SignalAccumulator,
  type SignalParams,
} from '@portrait/core';
import { CustomerIndex } from './user-knn.ts';

/** What one scored step asks of the catalogue signals: the user's items before it. */
export interface SignalQuery {
  /** Signals count only orders strictly before this time. */
  ts: number;
  /** Distinct catalogue items the user chose before the step, latest first. */
  recent: readonly number[];
  /** The items of the user's previous step (what "related" and "together" start from). */
  last: readonly number[];
  /** The user's sequence key in the log: its own orders are never its "customers like you". */
  user?: string;
}

/** Per scored step, sparse feature maps (catalogue index -> score, best = 1). */
export interface SignalAnswer {
  forYou: Map<number, number>;
  /** "For you" with the shop's order record passed: the user's own items count as neighbours too. */
  forYouShop: Map<number, number>;
  related: Map<number, number>;
  together: Map<number, number>;
  /** The shop's repeat share as published at the query's time (undefined before any order). */
  repeatShare: number | undefined;
  /** The server-side reference "customers like you" (`CustomerIndex`), not a published signal. */
  customersLikeYou: Map<number, number>;
}

/** Nearest customers the "customers like you" reference sums over. */
export const CUSTOMERS_LIKE_YOU_K = 50;

/**
 * The merchant's order log as the eval's data set implies it: every user's chosen items, one
 * order per (user, timestamp), the user as the sequence key. Items are catalogue indices as strings.
 */
export function ordersOf(events: readonly { user: string; item: number; ts: number }[]): OrderLine[] {
  return events.map((e) => ({ order: `${e.user}\u0000${e.ts}`, item: String(e.item), ts: e.ts, session: e.user }));
}

/**
 * Answers every query with the signals the merchant would have published at its time: one sweep
 * over all users' orders in time order (core's SignalAccumulator, as the collector's import
 * builds them), orders at or after a query's time not yet added. Neighbour weights go through the
 * shard's one-byte quantization, as a device would read them. The same sweep feeds the
 * "customers like you" reference from the same orders, so it too sees nothing at or after a query.
 */
export function answerSignalQueries(
  lines: readonly OrderLine[],
  queries: readonly SignalQuery[],
  params: SignalParams = DEFAULT_SIGNAL_PARAMS,
): SignalAnswer[] {
  const orders = groupOrders(lines);
  const acc = new SignalAccumulator(params);
  const customers = new CustomerIndex();
  const order = queries
    .map((_, i) => i)
    .sort((a, b) => (queries[a] as SignalQuery).ts - (queries[b] as SignalQuery).ts);
  const out: SignalAnswer[] = new Array(queries.length);
  const d = DEFAULT_RECOMMENDER;
  let next = 0;
  for (const qi of order) {
    const q = queries[qi] as SignalQuery;
    while (next < orders.length && (orders[next] as { ts: number }).ts < q.ts) {
      const o = orders[next++] as { items: string[]; ts: number; session?: string };
      acc.add(o.items, o.ts, o.session);
      if (o.session !== undefined) customers.add(o.session, o.items);
    }
    const cache = new Map<string, NeighbourLists>();
    const listsOf = (id: string) => {
      let l = cache.get(id);
      if (!l) {
        const q8 = (ns: { id: string; weight: number }[]) =>
          ns.map((n) => ({ id: n.id, weight: dequantizeWeight(quantizeWeight(n.weight)) }));
        l = { next: q8(acc.neighbours('next', id)), together: q8(acc.neighbours('together', id)) };
        cache.set(id, l);
      }
      return l;
    };
    const rw = recencyWeights(Math.min(q.recent.length, d.forYou.recentItems), d.forYou.recencyDecay);
    const recent = rw.map((weight, k) => ({ id: String(q.recent[k]), weight }));
    const last = q.last.map((i) => ({ id: String(i), weight: 1 }));
    const toIndex = (m: Map<string, number>) => new Map([...m].map(([k, v]) => [Number(k), v]));
    out[qi] = {
      forYou: toIndex(neighbourScores(recent, listsOf, d.forYou)),
      // Every chosen item of the eval's data is an order, so the page would pass all of them.
      forYouShop: toIndex(neighbourScores(recent, listsOf, d.forYou, true)),
      related: toIndex(neighbourScores(last, listsOf, d.related)),
      together: toIndex(neighbourScores(last, listsOf, { next: 0, together: 1 })),
      repeatShare: acc.repeatShare(),
      customersLikeYou: toIndex(customers.scores(q.recent.map(String), q.user, CUSTOMERS_LIKE_YOU_K)),
    };
  }
  return out;
}
