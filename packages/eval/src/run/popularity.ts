import type { DataEvent } from '../data/types.ts';

/**
 * Global item popularity as the shop's logs would have shown it at a time t: only events strictly
 * before t count, so a prediction never sees the step it predicts or anything later.
 */
export class Popularity {
  // Per item, the sorted timestamps of its positive events.
  private readonly times: Float64Array[];

  constructor(events: readonly DataEvent[], size: number, positive: (e: DataEvent) => boolean) {
    const lists: number[][] = Array.from({ length: size }, () => []);
    for (const e of events) if (positive(e)) lists[e.item]?.push(e.ts);
    this.times = lists.map((l) => Float64Array.from(l).sort());
  }

  /** Number of events of `item` before `ts`. */
  countBefore(item: number, ts: number): number {
    const t = this.times[item];
    if (!t) return 0;
    let lo = 0;
    let hi = t.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((t[mid] as number) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * log1p(count before ts) of every item, scaled so the most popular item is 1 (0 when nothing came
   * before). With `windowMs`, only events in [ts - windowMs, ts) count: the "trending" list a
   * merchant's server could ship as easily as the all-time one.
   */
  scores(ts: number, out: Float32Array, windowMs?: number): void {
    let max = 0;
    for (let i = 0; i < out.length; i++) {
      const n = this.countBefore(i, ts) - (windowMs === undefined ? 0 : this.countBefore(i, ts - windowMs));
      const v = Math.log1p(n);
      out[i] = v;
      if (v > max) max = v;
    }
    if (max > 0) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / max;
  }
}
