import {
  createProfile,
  eventText,
  type Logger,
  type ProfileState,
  replayProfile,
  sensitiveTopic,
  updateProfile,
} from '@portrait/core';
import type { Embedder } from '../model/embedder.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import type { Catalogue } from './catalogue-source.ts';
import { type Embedded, type EmbedStats, embedAll, type VectorSpace } from './embedding-service.ts';
import { withProfileLock } from './profile-lock.ts';

/** A label (category name, sensitive topic) with its embedding in the current model's space. */
export interface LabelVector {
  label: string;
  vector: Float32Array;
}

/** How events are kept out of the profile when close to a sensitive topic. */
export interface SensitiveGuard {
  /** The merchant turned the guard off (`sensitiveTopics: false`). */
  off: boolean;
  /** The catalogue's per-item flags were computed for the topics this device guards. */
  catalogueFlags: boolean;
  /** The model's topic vectors and calibrated threshold; undefined until the model is loaded. */
  topics?: { vectors: LabelVector[]; threshold: number };
}

export interface FoldContext {
  store: Store<ProfileState>;
  space: VectorSpace;
  embedder: Embedder | undefined;
  catalogue: Catalogue | undefined;
  guard: SensitiveGuard;
  log: Logger;
}

export interface FoldReport {
  profile: ProfileState | undefined;
  folded: number;
  sensitive: number;
  /** Events left pending because only the model can embed or judge them. */
  waiting: number;
  stats: EmbedStats;
  batchMs: number;
}

const requestOf = (e: StoredEvent) => {
  const text = eventText(e) ?? '';
  return e.product?.id && e.type !== 'search' ? { text, itemId: e.product.id } : { text };
};

/** What one event does to the profile now: move it, be kept out of it, or wait for the model. */
type Verdict =
  | { kind: 'fold'; vector: Float32Array }
  | { kind: 'sensitive'; topic: string }
  | { kind: 'skip' }
  | { kind: 'wait' };

function verdict(ctx: FoldContext, text: string, e: Embedded | undefined): Verdict {
  // Events with no words (a bare custom event) are kept but never move the profile.
  if (!text) return { kind: 'skip' };
  if (!e) return { kind: 'wait' };
  if (ctx.guard.off) return { kind: 'fold', vector: e.vector };
  if (e.from === 'catalogue' && ctx.guard.catalogueFlags) {
    return e.sensitive ? { kind: 'sensitive', topic: 'catalogue flag' } : { kind: 'fold', vector: e.vector };
  }
  const t = ctx.guard.topics;
  // No event is folded unguarded: without the model's topics it waits.
  if (!t) return { kind: 'wait' };
  const topic = t.vectors.length ? sensitiveTopic(e.vector, t.vectors, t.threshold) : undefined;
  return topic ? { kind: 'sensitive', topic } : { kind: 'fold', vector: e.vector };
}

async function judge(ctx: FoldContext, events: StoredEvent[], now: number) {
  const requests = events.map(requestOf);
  const { embedded, stats } = await embedAll(requests, ctx.space, ctx.embedder, ctx.store, ctx.catalogue, now);
  return { verdicts: events.map((_, i) => verdict(ctx, requests[i]?.text ?? '', embedded[i])), stats };
}

/**
 * Folds every pending event (from any tab) that can be folded now into the profile, under the
 * cross-tab lock; events only the model can embed or judge stay pending. The embedding runs
 * before the write transaction (IndexedDB transactions cannot span it); the write re-checks each
 * event's `applied` flag, so a concurrent fold never applies an event twice.
 */
export function foldPending(ctx: FoldContext, now: number): Promise<FoldReport> {
  return withProfileLock(async () => {
    const started = performance.now();
    const pending = (await ctx.store.pendingEvents()).sort((a, b) => a.ts - b.ts);
    const empty: EmbedStats = { catalogue: 0, cache: 0, model: 0 };
    if (pending.length === 0) {
      const profile = await ctx.store.getProfile(ctx.space.modelId);
      return { profile, folded: 0, sensitive: 0, waiting: 0, stats: empty, batchMs: 0 };
    }
    const { verdicts, stats } = await judge(ctx, pending, now);
    const byId = new Map(pending.map((e, i) => [e.id, verdicts[i] as Verdict]));
    const ready = pending.filter((e) => byId.get(e.id)?.kind !== 'wait');
    const waiting = pending.length - ready.length;
    let folded = 0;
    let sensitive = 0;
    const profile = ready.length
      ? await ctx.store.applyEvents(
          ctx.space.modelId,
          ready.map((e) => e.id),
          (before, fresh) => {
            let p = before ?? createProfile(ctx.space.modelId, ctx.space.dim);
            folded = 0;
            sensitive = 0;
            for (const e of fresh) {
              const v = byId.get(e.id);
              if (v?.kind === 'sensitive') {
                sensitive++;
                ctx.log.debug(`event ${e.id} not folded: close to sensitive topic "${v.topic}"`);
              } else if (v?.kind === 'fold') {
                const next = updateProfile(p, v.vector, e);
                if (next) {
                  p = next;
                  folded++;
                } else ctx.log.debug('embedding unusable, event kept but not folded', e.id);
              }
            }
            return p;
          },
        )
      : await ctx.store.getProfile(ctx.space.modelId);
    return { profile, folded, sensitive, waiting, stats, batchMs: performance.now() - started };
  });
}

/**
 * Rebuilds the profile of the context's model from every stored event: after forgetItem /
 * forgetSince, or when the merchant switches models (vector spaces are never mixed). Undefined
 * when some stored event can only be embedded or judged by a model not loaded yet.
 */
export function rebuildProfile(ctx: FoldContext, now: number): Promise<FoldReport | undefined> {
  return withProfileLock(async () => {
    const started = performance.now();
    const events = (await ctx.store.allEvents()).sort((a, b) => a.ts - b.ts);
    const { verdicts, stats } = await judge(ctx, events, now);
    if (verdicts.some((v) => v.kind === 'wait')) return undefined;
    const kept = events.flatMap((event, i) => {
      const v = verdicts[i];
      return v?.kind === 'fold' ? [{ event, vector: v.vector }] : [];
    });
    const sensitive = verdicts.filter((v) => v.kind === 'sensitive').length;
    const { modelId, dim } = ctx.space;
    const profile = kept.length ? replayProfile(modelId, dim, kept) : createProfile(modelId, dim);
    await ctx.store.putProfile(profile);
    // What was pending is now reflected; events stored since `allEvents` stay pending for the next fold.
    const pendingIds = events.filter((e) => e.applied === 0).map((e) => e.id);
    if (pendingIds.length) await ctx.store.applyEvents(modelId, pendingIds, () => profile);
    return { profile, folded: kept.length, sensitive, waiting: 0, stats, batchMs: performance.now() - started };
  });
}
