import {
  createProfile,
  eventText,
  type Logger,
  type ProfileState,
  replayProfile,
  sensitiveTopic,
  updateProfile,
} from '@portrait/core';
import type { Embedder } from '../model/embedder';
import type { Store, StoredEvent } from '../store/types';
import { type EmbedStats, embedAll, type VectorSource } from './embedding-service';
import { withProfileLock } from './profile-lock';

/** A label (category name, sensitive topic) with its embedding in the current model's space. */
export interface LabelVector {
  label: string;
  vector: Float32Array;
}

export interface FoldContext {
  store: Store<ProfileState>;
  embedder: Embedder;
  catalogue: VectorSource | undefined;
  topics: LabelVector[];
  topicThreshold: number;
  log: Logger;
}

export interface FoldReport {
  profile: ProfileState | undefined;
  folded: number;
  sensitive: number;
  stats: EmbedStats;
  batchMs: number;
}

const requestOf = (e: StoredEvent) => {
  const text = eventText(e) ?? '';
  return e.product?.id && e.type !== 'search' ? { text, itemId: e.product.id } : { text };
};

async function embedEvents(ctx: FoldContext, events: StoredEvent[], now: number) {
  const requests = events.map(requestOf);
  const { vectors, stats } = await embedAll(requests, ctx.embedder, ctx.store, ctx.catalogue, now);
  // Events with no words (a bare custom event) are kept but never move the profile.
  const usable = events.map((e, i) =>
    requests[i]?.text ? { event: e, vector: vectors[i] as Float32Array } : undefined,
  );
  return { usable, stats };
}

function isSensitive(ctx: FoldContext, vector: Float32Array): string | undefined {
  return ctx.topics.length ? sensitiveTopic(vector, ctx.topics, ctx.topicThreshold) : undefined;
}

/**
 * Folds every pending event (from any tab) into the profile, under the cross-tab lock. The
 * embedding runs before the write transaction (IndexedDB transactions cannot span it); the write
 * re-checks each event's `applied` flag, so a concurrent fold never applies an event twice.
 */
export function foldPending(ctx: FoldContext, now: number): Promise<FoldReport> {
  return withProfileLock(async () => {
    const started = performance.now();
    const pending = (await ctx.store.pendingEvents()).sort((a, b) => a.ts - b.ts);
    const empty: EmbedStats = { catalogue: 0, cache: 0, model: 0 };
    if (pending.length === 0) {
      return {
        profile: await ctx.store.getProfile(ctx.embedder.modelId),
        folded: 0,
        sensitive: 0,
        stats: empty,
        batchMs: 0,
      };
    }
    const { usable, stats } = await embedEvents(ctx, pending, now);
    const byId = new Map(pending.map((e, i) => [e.id, usable[i]]));
    let folded = 0;
    let sensitive = 0;
    const profile = await ctx.store.applyEvents(
      ctx.embedder.modelId,
      pending.map((e) => e.id),
      (before, fresh) => {
        let p = before ?? createProfile(ctx.embedder.modelId, ctx.embedder.dim);
        folded = 0;
        sensitive = 0;
        for (const e of fresh) {
          const u = byId.get(e.id);
          if (!u) continue;
          const topic = isSensitive(ctx, u.vector);
          if (topic) {
            sensitive++;
            ctx.log.debug(`event ${e.id} not folded: close to sensitive topic "${topic}"`);
            continue;
          }
          const next = updateProfile(p, u.vector, e);
          if (next) {
            p = next;
            folded++;
          } else ctx.log.debug('embedding unusable, event kept but not folded', e.id);
        }
        return p;
      },
    );
    return { profile, folded, sensitive, stats, batchMs: performance.now() - started };
  });
}

/**
 * Rebuilds the profile of the embedder's model from every stored event: after forgetItem /
 * forgetSince, or when the merchant switches models (vector spaces are never mixed).
 */
export function rebuildProfile(ctx: FoldContext, now: number): Promise<FoldReport> {
  return withProfileLock(async () => {
    const started = performance.now();
    const events = (await ctx.store.allEvents()).sort((a, b) => a.ts - b.ts);
    const { usable, stats } = await embedEvents(ctx, events, now);
    let sensitive = 0;
    const kept = usable.filter((u): u is NonNullable<typeof u> => {
      if (!u) return false;
      if (isSensitive(ctx, u.vector)) {
        sensitive++;
        return false;
      }
      return true;
    });
    const profile = kept.length
      ? replayProfile(ctx.embedder.modelId, ctx.embedder.dim, kept)
      : createProfile(ctx.embedder.modelId, ctx.embedder.dim);
    await ctx.store.putProfile(profile);
    // What was pending is now reflected; events stored since `allEvents` stay pending for the next fold.
    const pendingIds = events.filter((e) => e.applied === 0).map((e) => e.id);
    if (pendingIds.length) await ctx.store.applyEvents(ctx.embedder.modelId, pendingIds, () => profile);
    return { profile, folded: kept.length, sensitive, stats, batchMs: performance.now() - started };
  });
}
