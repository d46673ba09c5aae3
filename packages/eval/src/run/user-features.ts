import {
  compactScore,
  compactVectors,
  DEFAULT_LAYOUT,
  decodePayload,
  encodePayload,
  eventWeight,
  forYouWeights,
  type ProfileState,
  RISK_UNKNOWN,
} from '@portrait/core';
import { blendParams, forYouTerms } from '../recommenders/configs.ts';
import { fixedEtaTracker, lastStepTracker, portraitTracker, type Tracker } from '../recommenders/trackers.ts';
import { cosineAll, itemDots } from './catalogue.ts';
import type { EvalContext } from './context.ts';
import type { SignalAnswer } from './order-signals.ts';
import type { Step } from './user-steps.ts';

// The payload's header fields the ranking never reads (the collector ranks only the vectors).
const PAYLOAD_STUB = {
  flags: 0,
  modelHash: 0,
  pseudoId: '0'.repeat(32),
  timestamp: 0,
  idempotencyKey: '0'.repeat(16),
  risk: RISK_UNKNOWN,
  segments: [],
};

/** Window of the recent-popularity feature `pop30`. */
export const RECENT_MS = 30 * 86_400_000;

/**
 * One user's state under every configuration at once: the trackers of each configuration and the
 * user's own purchase counts. `features` turns it into per-item feature arrays for one prediction:
 * the trackers' cosines, `rep` (log1p of the user's own count), `own` (1 if chosen before),
 * `maxsim` (best cosine to any item the user chose), `pop` (all-time) and `pop30` (last 30 days),
 * `collector` (the collector's score for the compact payload of the default profile),
 * and the catalogue signals' `sig:foryou` (`sig:foryou-shop` with the user's own items as
 * candidates too), `sig:related`, `sig:together` (0 without an answer), the server-side reference
 * `ref:customers` ("customers like you", never shipped), and the shipped "for you"
 * blends `engine:foryou-shop` / `engine:foryou-device`: the worker's weights for the shop's repeat
 * share as published at the step's time, over the features above.
 */
export class UserFeatures {
  private readonly trackers: Tracker[];
  // The engine at its default parameters: the profile a device would sync to the collector.
  private readonly synced?: { state(): ProfileState };
  // The parameter point whose profile the shipped "for you" blends read (as the configs' rows do).
  private readonly forYouKey: string | undefined;
  private readonly counts = new Map<number, number>();
  private readonly pool = new Map<string, Float32Array>();
  // Per catalogue item, its best cosine to any item the user chose so far (undefined before the first).
  private maxSim: Float32Array | undefined;
  // Items chosen for the first time since the last prediction, not yet in `maxSim`.
  private readonly pendingMaxSim: number[] = [];

  constructor(private readonly ctx: EvalContext) {
    const { catalogue, configs, modelId } = ctx;
    this.trackers = [
      lastStepTracker(),
      fixedEtaTracker('mean', 'mean'),
      ...configs.etas.map((eta) => fixedEtaTracker(`eta${eta}`, eta)),
    ];
    for (const p of configs.params) {
      const t = portraitTracker(p.key, modelId, catalogue.dim, p.params);
      this.trackers.push(t);
      if (p.isDefault) this.synced = t;
    }
    this.forYouKey = blendParams(configs.params)[0]?.key;
  }

  // The collector's /v1/recommendations score of every item: the payload's vectors (the profile
  // in the import's basis, int8 with a bfloat16 scale each, as the payload carries them) against each
  // item's compact vector. 0 everywhere before the first event (the device sends nothing).
  private collectorScores(into: Float32Array): void {
    into.fill(0);
    const state = this.synced?.state();
    const compact = this.ctx.compact;
    if (!state || !compact || state.count === 0) return;
    // Through the payload codec itself, so the vectors are the ones the collector decodes.
    const decoded = decodePayload(
      encodePayload({
        ...PAYLOAD_STUB,
        basisVersion: compact.basis.version,
        vectors: compactVectors(state, compact.basis, DEFAULT_LAYOUT),
      }),
    );
    if (!decoded.ok) return;
    const sent = decoded.payload.vectors;
    compact.items.forEach((item, i) => {
      const s = compactScore(sent, item);
      into[i] = Number.isFinite(s) ? s : 0;
    });
  }

  observe(step: Step): void {
    for (const t of this.trackers) t.observe(step);
    // Positive events only: a removal from the cart is not a purchase to repeat.
    step.events.forEach(({ event }, i) => {
      const item = step.eventItems[i];
      if (item === undefined || !(eventWeight(event) > 0)) return;
      if (!this.counts.has(item)) this.pendingMaxSim.push(item);
      this.counts.set(item, (this.counts.get(item) ?? 0) + 1);
    });
  }

  // Item-to-item on the device: the catalogue's dot products with each newly chosen item, folded
  // into the running max. Deferred to the next prediction and read from the catalogue's cached
  // item-by-item rows; the max of float32-rounded dots is what a running max would hold.
  private foldMaxSim(dots: readonly Float32Array[]): void {
    for (const d of dots) {
      const first = !this.maxSim;
      const m = this.maxSim ?? new Float32Array(d.length);
      this.maxSim = m;
      for (let i = 0; i < m.length; i++) if (first || (d[i] as number) > (m[i] as number)) m[i] = d[i] as number;
    }
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
  features(popTs: number, signals?: SignalAnswer): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const queries: Float32Array[] = [];
    const targets: Float32Array[] = [];
    const multi: { key: string; from: number; to: number }[] = [];
    // Parameter points that differ only in the long-term terms share their short-term and
    // multi-interest vectors: each distinct vector's cosines are computed once, the rest alias them.
    const unique: Float32Array[] = [];
    const uniqueTargets: Float32Array[] = [];
    const seen = new Map<string, Float32Array>();
    for (const t of this.trackers) {
      for (const f of t.features()) {
        const from = queries.length;
        for (const v of f.vectors) {
          const bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
          let target = seen.get(bytes);
          if (!target) {
            target = this.array(`${f.key}#${queries.length - from + 1}`);
            seen.set(bytes, target);
            unique.push(v);
            uniqueTargets.push(target);
          }
          queries.push(v);
          targets.push(target);
        }
        multi.push({ key: f.key, from, to: queries.length });
      }
    }
    cosineAll(this.ctx.catalogue, unique, uniqueTargets);
    const dots = itemDots(this.ctx.catalogue, this.pendingMaxSim.splice(0));
    this.foldMaxSim(dots);
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
    const own = this.array('own').fill(0);
    for (const [item, n] of this.counts) {
      rep[item] = Math.log1p(n);
      own[item] = 1;
    }
    out.set('rep', rep);
    out.set('own', own);
    const maxSim = this.array('maxsim');
    if (this.maxSim) maxSim.set(this.maxSim);
    else maxSim.fill(0);
    out.set('maxsim', maxSim);
    const collector = this.array('collector');
    this.collectorScores(collector);
    out.set('collector', collector);
    const pop = this.array('pop');
    this.ctx.popularity.scores(popTs, pop);
    out.set('pop', pop);
    const recent = this.array('pop30');
    this.ctx.popularity.scores(popTs, recent, RECENT_MS);
    out.set('pop30', recent);
    for (const [key, m] of [
      ['sig:foryou', signals?.forYou],
      ['sig:foryou-shop', signals?.forYouShop],
      ['sig:related', signals?.related],
      ['sig:together', signals?.together],
      ['ref:customers', signals?.customersLikeYou],
    ] as const) {
      const a = this.array(key).fill(0);
      if (m) for (const [i, v] of m) a[i] = v;
      out.set(key, a);
    }
    const w = forYouWeights(signals?.repeatShare);
    for (const [name, shopOrders] of [
      ['engine:foryou-shop', true],
      ['engine:foryou-device', false],
    ] as const) {
      const a = this.array(name).fill(0);
      const terms = this.forYouKey ? forYouTerms(this.forYouKey, w, shopOrders) : [];
      for (const [f, x] of terms) {
        const v = out.get(f);
        if (v) for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + x * (v[i] as number);
      }
      out.set(name, a);
    }
    return out;
  }
}
