import { type Logger, type ProfileState, toErrorData } from '@portrait/core';
import type { ResolvedConfig } from '../engine-types.ts';
import type { Embedder } from '../model/embedder.ts';
import { BACKEND_FAILED } from '../model/model-loader.ts';
import { META } from '../store/meta-keys.ts';
import type { Store, StoredEvent } from '../store/types.ts';
import { type Catalogue, catalogueSource } from './catalogue-source.ts';
import type { VectorSpace } from './embedding-service.ts';
import { catalogueFlagsApply, modelGuard } from './fold-guard.ts';
import {
  type FoldContext,
  type FoldReport,
  foldPending,
  type LabelVector,
  rebuildProfile,
  type SensitiveGuard,
} from './profile-fold.ts';

export interface FolderDeps {
  config: () => ResolvedConfig;
  store: () => Store<ProfileState> | undefined;
  log: () => Logger;
  /** Where the catalogue URL resolves (the worker script's URL). */
  baseUrl: () => string;
  /** After every fold: the sync decision. */
  afterFold: (profile: ProfileState | undefined) => Promise<void>;
  /** Events are waiting for the model (free text, items the catalogue lacks). */
  onWaiting: () => void;
  /** WebGPU failed mid-fold; the events stay pending. */
  onBackendFailed: (reason: string, embedder: Embedder) => Promise<void>;
}

const notInitialised = () => ({ code: 'worker/not-initialised', message: 'call init() first' });

/**
 * Pending events → profile. Owns what folds run with: the merchant's catalogue vectors (enough,
 * with their sensitive flags, for catalogue items before any model loads), the model once its
 * guard and labels are embedded, and what the last fold did.
 */
export function createFolder(d: FolderDeps) {
  let embedder: Embedder | undefined;
  let catalogue: Catalogue | undefined;
  let fromModel: { labels: LabelVector[]; topics: NonNullable<SensitiveGuard['topics']> } | undefined;
  let lastFold: FoldReport | undefined;
  const totals = { cacheHits: 0, catalogueHits: 0, modelRuns: 0 };

  const space = (): VectorSpace | undefined =>
    embedder ? { modelId: embedder.modelId, dim: embedder.dim } : catalogue;

  function context(): FoldContext | undefined {
    const store = d.store();
    const s = space();
    if (!store || !s) return undefined;
    const config = d.config();
    const guard: SensitiveGuard = {
      off: config.sensitiveTopics === false,
      catalogueFlags: catalogueFlagsApply(config, catalogue),
    };
    if (fromModel) guard.topics = fromModel.topics;
    return { store, space: s, embedder, catalogue, guard, log: d.log() };
  }

  async function afterFold(report: FoldReport) {
    const store = d.store();
    lastFold = report;
    totals.cacheHits += report.stats.cache;
    totals.catalogueHits += report.stats.catalogue;
    totals.modelRuns += report.stats.model;
    if (store && report.sensitive) {
      const n = Number((await store.getMeta(META.sensitiveSkipped)) ?? 0) + report.sensitive;
      await store.setMeta(META.sensitiveSkipped, String(n));
    }
    if (store && report.profile && !(await store.getMeta(META.activeModel))) {
      await store.setMeta(META.activeModel, report.profile.modelId);
    }
    if (report.waiting > 0 && !embedder) d.onWaiting();
    await d.afterFold(report.profile);
  }

  return {
    get embedder(): Embedder | undefined {
      return embedder;
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

    /** The merchant's catalogue vectors, if it publishes them for the configured model. */
    async openCatalogue(): Promise<boolean> {
      const config = d.config();
      const url =
        config.catalogueUrl === false
          ? undefined
          : (config.catalogueUrl ??
            (config.collectorUrl && new URL('/v1/catalogue-vectors/', config.collectorUrl).href));
      catalogue = url ? await catalogueSource(new URL(url, d.baseUrl()).href, config.modelId, d.log()) : undefined;
      return catalogue !== undefined;
    },

    /** Whether anything configured needs the model even when every event is a catalogue item. */
    async featuresNeedModel(): Promise<boolean> {
      const config = d.config();
      if (!catalogue) return true;
      if (config.segments?.length) return true;
      if (config.sensitiveTopics !== false && !catalogueFlagsApply(config, catalogue)) return true;
      if (!config.labels?.length) return false;
      const published = new Set((await catalogue.labels()).map((l) => l.label));
      return config.labels.some((l) => !published.has(l));
    },

    /** The merchant's catalogue in use (vectors and order-log signals), if any. */
    catalogue(): Catalogue | undefined {
      return catalogue;
    },

    /** Labels explain() names interests with: the model's, else the catalogue's published ones. */
    async labels(): Promise<LabelVector[]> {
      if (fromModel?.labels.length) return fromModel.labels;
      const wanted = d.config().labels;
      // adopt() drops a catalogue of another vector space, so one still held is the model's own.
      const published = catalogue ? await catalogue.labels() : [];
      return wanted ? published.filter((l) => wanted.includes(l.label)) : published;
    },

    /**
     * A loaded model becomes the one folds run with, once its guard and labels are embedded, so
     * no event is folded unguarded. Returns the calibrated sensitive-topic threshold.
     */
    async adopt(e: Embedder): Promise<number> {
      const s = d.store();
      if (!s) throw notInitialised();
      fromModel = await modelGuard(e, d.config());
      // Vector spaces are never mixed: a catalogue of another model or size stops being used.
      if (catalogue && (catalogue.modelId !== e.modelId || catalogue.dim !== e.dim)) catalogue = undefined;
      embedder = e;
      const ctx = context() as FoldContext;
      const activeModel = await s.getMeta(META.activeModel);
      const changed = activeModel !== undefined && activeModel !== e.modelId;
      // A new model means a new vector space: rebuild from stored events; the old profile serves until then.
      const rebuilt =
        changed || (await s.getMeta(META.needsRebuild)) === '1' ? await rebuildProfile(ctx, Date.now()) : undefined;
      if (rebuilt) {
        d.log().info(`rebuilt the profile with ${e.modelId}${changed ? ` (was ${activeModel})` : ''}`);
        await afterFold(rebuilt);
        if (changed && activeModel) await s.deleteProfile(activeModel);
        await s.setMeta(META.needsRebuild, '0');
      } else {
        await afterFold(await foldPending(ctx, Date.now()));
      }
      await s.setMeta(META.activeModel, e.modelId);
      return fromModel.topics.threshold;
    },

    /** Stops folding with `e` (its backend failed); events stay pending for the next worker. */
    drop(e: Embedder | undefined): void {
      if (embedder === e) {
        embedder = undefined;
        fromModel = undefined;
      }
    },

    /** Folds whatever can be folded now (from any tab); the rest waits for the model. */
    async refold(): Promise<void> {
      const ctx = context();
      if (!ctx) return;
      try {
        if ((await ctx.store.getMeta(META.needsRebuild)) === '1') {
          // A forget dropped the profile: it comes back whole (every stored event) or not at all.
          const rebuilt = await rebuildProfile(ctx, Date.now());
          if (!rebuilt) return d.onWaiting();
          await afterFold(rebuilt);
          await ctx.store.setMeta(META.needsRebuild, '0');
          return;
        }
        await afterFold(await foldPending(ctx, Date.now()));
      } catch (err) {
        const code = (err as { code?: unknown } | undefined)?.code;
        if (code !== BACKEND_FAILED || !ctx.embedder) throw err;
        // The events are stored and stay pending: the ingest that brought them succeeded.
        await d.onBackendFailed(toErrorData(BACKEND_FAILED, err).message, ctx.embedder);
      }
    },

    /** The profile of the vector space in use (or, before any, of the last one used). */
    async activeProfile(): Promise<ProfileState | undefined> {
      const store = d.store();
      if (!store) return undefined;
      const id = space()?.modelId ?? (await store.getMeta(META.activeModel));
      return id ? store.getProfile(id) : undefined;
    },

    /** Deletes the matching events and rebuilds the profile without them; returns how many went. */
    async forgetWhere(match: (e: StoredEvent) => boolean): Promise<number> {
      const s = d.store();
      if (!s) throw notInitialised();
      const ids = (await s.allEvents()).filter(match).map((e) => e.id);
      const removed = await s.deleteEvents(ids);
      const ctx = context();
      const rebuilt = ctx ? await rebuildProfile(ctx, Date.now()) : undefined;
      if (rebuilt) {
        await afterFold(rebuilt);
        return removed;
      }
      // Nothing to rebuild every event with yet: the old profile still reflects what the shopper
      // asked to forget, so it goes now and is rebuilt from the remaining events once the model is ready.
      const active = await s.getMeta(META.activeModel);
      if (active) await s.deleteProfile(active);
      await s.setMeta(META.needsRebuild, '1');
      if (ids.length || active) d.onWaiting();
      return removed;
    },
  };
}

export type Folder = ReturnType<typeof createFolder>;
