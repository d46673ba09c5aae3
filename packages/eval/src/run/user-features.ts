import { eventWeight } from '@portrait/core';
import { fixedEtaTracker, lastStepTracker, portraitTracker, type Tracker } from '../recommenders/trackers.ts';
import { cosineAll } from './catalogue.ts';
import type { EvalContext } from './context.ts';
import type { Step } from './user-steps.ts';

/**
 * One user's state under every configuration at once: the trackers of each configuration and the
 * user's own purchase counts. `features` turns it into per-item feature arrays for one prediction.
 */
export class UserFeatures {
  private readonly trackers: Tracker[];
  private readonly counts = new Map<number, number>();
  private readonly pool = new Map<string, Float32Array>();

  constructor(private readonly ctx: EvalContext) {
    const { catalogue, configs, modelId } = ctx;
    this.trackers = [
      lastStepTracker(),
      fixedEtaTracker('mean', 'mean'),
      ...configs.etas.map((eta) => fixedEtaTracker(`eta${eta}`, eta)),
      ...configs.params.map((p) => portraitTracker(p.key, modelId, catalogue.dim, p.params)),
    ];
  }

  observe(step: Step): void {
    for (const t of this.trackers) t.observe(step);
    // Positive events only: a removal from the cart is not a purchase to repeat.
    step.events.forEach(({ event }, i) => {
      const item = step.eventItems[i];
      if (item !== undefined && eventWeight(event) > 0) this.counts.set(item, (this.counts.get(item) ?? 0) + 1);
    });
  }

  /** Times the user chose each item so far. */
  repeatCount(item: number): number {
    return this.counts.get(item) ?? 0;
  }

  private array(key: string): Float32Array {
    let a = this.pool.get(key);
    if (!a) {
      a = new Float32Array(this.ctx.catalogue.size);
      this.pool.set(key, a);
    }
    return a;
  }

  /** Every feature by key for a prediction at popularity time `popTs` (arrays are reused between calls). */
  features(popTs: number): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const queries: Float32Array[] = [];
    const targets: Float32Array[] = [];
    const multi: { key: string; from: number; to: number }[] = [];
    for (const t of this.trackers) {
      for (const f of t.features()) {
        const from = queries.length;
        for (const v of f.vectors) {
          queries.push(v);
          targets.push(this.array(`${f.key}#${queries.length - from}`));
        }
        multi.push({ key: f.key, from, to: queries.length });
      }
    }
    cosineAll(this.ctx.catalogue, queries, targets);
    for (const { key, from, to } of multi) {
      const a = this.array(key);
      if (to === from) a.fill(0);
      else {
        a.set(targets[from] as Float32Array);
        for (let j = from + 1; j < to; j++) {
          const b = targets[j] as Float32Array;
          for (let i = 0; i < a.length; i++) if ((b[i] as number) > (a[i] as number)) a[i] = b[i] as number;
        }
      }
      out.set(key, a);
    }
    const rep = this.array('rep').fill(0);
    for (const [item, n] of this.counts) rep[item] = Math.log1p(n);
    out.set('rep', rep);
    const pop = this.array('pop');
    this.ctx.popularity.scores(popTs, pop);
    out.set('pop', pop);
    return out;
  }
}
