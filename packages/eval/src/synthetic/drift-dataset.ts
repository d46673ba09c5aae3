import { seededRandom } from '@portrait/core';
import type { DataEvent, Dataset, Item } from '../data/types.ts';

/** Topics of the synthetic shop: a topic word every title carries, and its own nouns. */
export const TOPICS = {
  kitchen: ['pan', 'knife', 'kettle', 'whisk', 'skillet', 'ladle'],
  garden: ['trowel', 'hose', 'rake', 'planter', 'shears', 'seeds'],
  running: ['shoes', 'shorts', 'socks', 'vest', 'cap', 'bottle'],
  baby: ['stroller', 'bib', 'rattle', 'blanket', 'cot', 'bottle'],
} as const;

export type Topic = keyof typeof TOPICS;
const ADJ = ['red', 'steel', 'small', 'classic'];

/** How the synthetic users behave. */
export interface DriftOptions {
  users: number;
  /** Steps on the first topic, then steps on the second. */
  before: number;
  after: number;
  itemsPerStep: number;
  /** Gap between a user's steps, ms. */
  gapMs: number;
  seed: number;
  type?: DataEvent['type'];
}

/**
 * A catalogue of topic items and users with planted drifting interests: each user buys from one
 * topic for `before` steps, then switches to another for `after` steps. Titles share the topic
 * word, so any sensible text encoder puts a topic's items together.
 */
export function driftDataset(o: DriftOptions): { dataset: Dataset; switches: Map<string, [Topic, Topic]> } {
  const rand = seededRandom(o.seed);
  const items: Item[] = [];
  const byTopic = new Map<Topic, number[]>();
  for (const topic of Object.keys(TOPICS) as Topic[]) {
    const idx: number[] = [];
    for (const noun of TOPICS[topic]) {
      for (const adj of ADJ) {
        idx.push(items.length);
        items.push({ id: `${topic}-${noun}-${adj}`, title: `${adj} ${topic} ${noun}`, category: topic, price: 10 });
      }
    }
    byTopic.set(topic, idx);
  }
  const topics = Object.keys(TOPICS) as Topic[];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const events: DataEvent[] = [];
  const switches = new Map<string, [Topic, Topic]>();
  const t0 = Date.UTC(2024, 0, 1);
  for (let u = 0; u < o.users; u++) {
    const user = `u${u}`;
    const first = pick(topics);
    const second = pick(topics.filter((t) => t !== first));
    switches.set(user, [first, second]);
    // Users start at different times, so popularity keeps changing over the set.
    let ts = t0 + u * 3_600_000;
    for (let s = 0; s < o.before + o.after; s++) {
      const pool = byTopic.get(s < o.before ? first : second) as number[];
      for (let k = 0; k < o.itemsPerStep; k++) {
        events.push({ user, item: pick(pool), ts, type: o.type ?? 'purchase', seq: events.length });
      }
      ts += o.gapMs;
    }
  }
  events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return { dataset: { name: 'synthetic-drift', items, events, skipped: { items: 0, events: 0 } }, switches };
}

/** The data set in the evaluation format: `items.jsonl` and `events.jsonl` lines. */
export function toJsonl(ds: Dataset): { items: string; events: string } {
  const items = ds.items.map((it) => JSON.stringify(it)).join('\n');
  const events = ds.events
    .map((e) =>
      JSON.stringify({ user: e.user, item: ds.items[e.item]?.id, ts: new Date(e.ts).toISOString(), type: e.type }),
    )
    .join('\n');
  return { items: `${items}\n`, events: `${events}\n` };
}
