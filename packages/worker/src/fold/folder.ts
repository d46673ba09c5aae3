import { type Logger, type ProfileState, toErrorData } from '@portrait/core';
import type { ResolvedConfig } from '../engine-types';
import type { Embedder } from '../model/embedder';
import { BACKEND_FAILED } from '../model/model-loader';
import { META } from '../store/meta-keys';
import type { Store, StoredEvent } from '../store/types';
import { catalogueSource } from './catalogue-source';
import type { VectorSource } from './embedding-service';
import { type FoldGuard, prepareGuard } from './fold-guard';
import { type FoldContext, type FoldReport, foldPending, rebuildProfile } from './profile-fold';

export interface FolderDeps {
  config: () => ResolvedConfig;
  store: () => Store<ProfileState> | undefined;
  log: () => Logger;
  /** Where the catalogue URL resolves (the worker script's URL). */
  baseUrl: () => string;
  /** After every fold: the sync decision. */
  afterFold: (profile: ProfileState | undefined) => Promise<void>;
  /** WebGPU failed mid-fold; the events stay pending. */
  onBackendFailed: (reason: string, embedder: Embedder) => Promise<void>;
}

/**
 * Pending events → profile: owns the embedder folds run with (set only once its guard is
 * ready), the catalogue vectors, and what the last fold did.
 */
export function createFolder(d: FolderDeps) {
  let embedder: Embedder | undefined;
  let catalogue: VectorSource | undefined;
  let guard: FoldGuard = { labels: [], topics: [], topicThreshold: 0 };
  let lastFold: FoldReport | undefined;
  const totals = { cacheHits: 0, catalogueHits: 0, modelRuns: 0 };

  function context(): FoldContext | undefined {
    const store = d.store();
    if (!store || !embedder) return undefined;
    return { store, embedder, catalogue, topics: guard.topics, topicThreshold: guard.topicThreshold, log: d.log() };
  }

  async function afterFold(report: FoldReport) {
    const store = d.store();
    lastFold = report;
    totals.cacheHits += report.stats.cache;
    totals.catalogueHits += report.stats.catalogue;
    totals.modelRuns += report.stats.model;
    if (report.sensitive && store) {
      const n = Number((await store.getMeta(META.sensitiveSkipped)) ?? 0) + report.sensitive;
      await store.setMeta(META.sensitiveSkipped, String(n));
    }
    await d.afterFold(report.profile);
  }

  return {
    get embedder(): Embedder | undefined {
      return embedder;
    },
    get labels() {
      return guard.labels;
    },
    /** The last fold's profile, to seed memory when IndexedDB cannot even be read any more. */
    get lastProfile(): ProfileState | undefined {
      return lastFold?.profile;
    },
    timings() {
      const t: { lastBatchMs?: number; lastBatchSize?: number } & typeof totals = { ...totals };
      if (lastFold?.batchMs) {
        t.lastBatchMs = lastFold.batchMs;
        t.lastBatchSize = lastFold.folded + lastFold.sensitive;
      }
      return t;
    },

    /**
     * A loaded model becomes the one folds run with, once its guard and labels are embedded, so
     * no event is folded unguarded. Returns the calibrated sensitive-topic threshold.
     */
    async adopt(e: Embedder): Promise<number> {
      const s = d.store();
      if (!s) throw { code: 'worker/not-initialised', message: 'call init() first' };
      const config = d.config();
      guard = await prepareGuard(e, config);
      if (config.catalogueUrl) {
        catalogue = await catalogueSource(new URL(config.catalogueUrl, d.baseUrl()).href, e.modelId, d.log());
      }
      embedder = e;
      const ctx = context() as FoldContext;
      const activeModel = await s.getMeta(META.activeModel);
      const changed = activeModel !== undefined && activeModel !== e.modelId;
      // A new model means a new vector space: rebuild from stored events; the old profile serves until then.
      if (changed || (await s.getMeta(META.needsRebuild)) === '1') {
        d.log().info(`rebuilding the profile with ${e.modelId}${changed ? ` (was ${activeModel})` : ''}`);
        await afterFold(await rebuildProfile(ctx, Date.now()));
        if (changed) await s.deleteProfile(activeModel);
        await s.setMeta(META.needsRebuild, '0');
      } else {
        await afterFold(await foldPending(ctx, Date.now()));
      }
      await s.setMeta(META.activeModel, e.modelId);
      return guard.topicThreshold;
    },

    /** Stops folding with `e` (its backend failed); events stay pending for the next worker. */
    drop(e: Embedder | undefined): void {
      if (embedder === e) embedder = undefined;
    },

    /** Folds whatever is pending (from any tab); without a model they wait. */
    async refold(): Promise<void> {
      const ctx = context();
      if (!ctx) return;
      try {
        await afterFold(await foldPending(ctx, Date.now()));
      } catch (err) {
        const code = (err as { code?: unknown } | undefined)?.code;
        if (code !== BACKEND_FAILED) throw err;
        // The events are stored and stay pending: the ingest that brought them succeeded.
        await d.onBackendFailed(toErrorData(BACKEND_FAILED, err).message, ctx.embedder);
      }
    },

    /** The profile of the model in use (or, before it loads, of the last one used). */
    async activeProfile(): Promise<ProfileState | undefined> {
      const store = d.store();
      if (!store) return undefined;
      const id = embedder?.modelId ?? (await store.getMeta(META.activeModel));
      return id ? store.getProfile(id) : undefined;
    },

    /** Deletes the matching events and rebuilds the profile without them; returns how many went. */
    async forgetWhere(match: (e: StoredEvent) => boolean): Promise<number> {
      const s = d.store();
      if (!s) throw { code: 'worker/not-initialised', message: 'call init() first' };
      const ids = (await s.allEvents()).filter(match).map((e) => e.id);
      const removed = await s.deleteEvents(ids);
      const ctx = context();
      if (ctx) {
        await afterFold(await rebuildProfile(ctx, Date.now()));
        return removed;
      }
      // No model to rebuild with yet: the old profile still reflects what the shopper asked to
      // forget, so it goes now and is rebuilt from the remaining events once the model is ready.
      const active = await s.getMeta(META.activeModel);
      if (active) await s.deleteProfile(active);
      await s.setMeta(META.needsRebuild, '1');
      return removed;
    },
  };
}

export type Folder = ReturnType<typeof createFolder>;
