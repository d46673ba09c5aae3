import type { EventType } from '@portrait/core';

/** One catalogue item of the evaluation format (`items.jsonl`). */
export interface Item {
  id: string;
  title: string;
  category?: string;
  brand?: string;
  description?: string;
  price?: number;
}

/** One event of the evaluation format (`events.jsonl`), its item resolved to a catalogue index. */
export interface DataEvent {
  user: string;
  item: number;
  /** Epoch ms. */
  ts: number;
  type: EventType;
  quantity?: number;
  dwellMs?: number;
  /** Position in the file, so equal timestamps keep file order. */
  seq: number;
}

/** A loaded data set; events sorted by (ts, file order). */
export interface Dataset {
  name: string;
  items: Item[];
  events: DataEvent[];
  /** Lines skipped as malformed (only with `skipBad`). */
  skipped: { items: number; events: number };
}
