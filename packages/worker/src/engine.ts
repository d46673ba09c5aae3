import {
  type Basis,
  calibratedThreshold,
  cosine,
  createLogger,
  DEFAULT_LAYOUT,
  explain as explainProfile,
  type Logger,
  NEUTRAL_ANCHORS,
  type PortraitErrorData,
  type PortraitEvent,
  type ProfileState,
  parseEvent,
  randomProjectionBasis,
  SENSITIVE_THRESHOLD,
  SENSITIVE_TOPICS,
  type SegmentMembership,
  toErrorData,
} from '@portrait/core';
import { catalogueSource } from './catalogue-source';
import type { Embedder } from './embedder';
import type { VectorSource } from './embedding-service';
import { BACKEND_FAILED, loadModel } from './model-loader';
import type { ModelProgress } from './model-source';
import { createPersistence, type Persistence } from './persistence';
import { type FoldContext, type FoldReport, foldPending, type LabelVector, rebuildProfile } from './profile-service';
import { type RankedItem, type Recommendation, rerankCandidates, serverRecommendations } from './rerank';
import { type BackendChoice, chooseBackend, detectRuntime, downloadDeferral, type RuntimeEnv } from './runtime-env';
import type { Store, StoredEvent } from './store/types';
import {
  type BeaconRequest,
  flushOutbox,
  nextSendAt,
  pendingBeacon,
  pseudonymousId,
  queueSync,
  requestErasure,
  type SyncReport,
} from './sync';
import { syncBasis } from './sync-basis';

// A shopper clicking through products moves a young profile on every event: send at most every 10 s.
const SYNC_MIN_INTERVAL_MS = 10_000;

import {
  DEFAULTS,
  type EngineEvent,
  type ExplainedInterest,
  type IngestResult,
  type LocalExport,
  type ResolvedConfig,
  type Result,
  type WorkerConfig,
  type WorkerStatus,
} from './engine-types';
import { cancelFlush, onOnline, scheduleFlush } from './sync-scheduler';
import { currentRisk, memberships, observeSessionRisk, type RiskReport, segmentVectors } from './sync-signals';

const MAX_EVENTS_PER_CALL = 500;
// A real event is well under 2 KB; anything far larger is a bug or an attack, not a longer title.
const MAX_EVENT_BYTES = 16_384;

function tooLarge(raw: unknown): string | undefined {
  try {
    const size = JSON.stringify(raw)?.length ?? 0;
    return size > MAX_EVENT_BYTES ? `event is ${size} bytes, over ${MAX_EVENT_BYTES}` : undefined;
  } catch {
    return 'event is not plain data';
  }
}
const MODEL_RETRY_MAX_MS = 5 * 60_000;
// A WebGPU failure is remembered in the store's meta; the device gets WASM for a day after it.
const GPU_FAILED_KEY = 'webgpuFailed';
const GPU_FAILED_FOR_MS = 24 * 3_600_000;

/** The profile engine: one per worker, reached only through the comlink contract. */
export function createEngine() {
  let log: Logger = createLogger('portrait:worker');
  let config: ResolvedConfig = { ...DEFAULTS };
  let runtime: RuntimeEnv | undefined;
  let choice: BackendChoice | undefined;
  let persistence: Persistence | undefined;
  let embedder: Embedder | undefined;
  let catalogue: VectorSource | undefined;
  let labels: LabelVector[] = [];
  let topics: LabelVector[] = [];
  let topicThreshold = SENSITIVE_THRESHOLD;
  let basis: Basis | undefined;
  let lastSynced: { vector: Float32Array; at: number } | undefined;
  let lastSync: SyncReport | undefined;
  let lastFold: FoldReport | undefined;
  const totals = { cacheHits: 0, catalogueHits: 0, modelRuns: 0 };
  let model: WorkerStatus['model'] = { id: DEFAULTS.modelId, state: 'idle' };
  let modelAttempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why WebGPU failed in this worker (its device was lost mid-run), once it did. */
  let gpuFailure: string | undefined;
  let fatal: PortraitErrorData | undefined;
  const listeners = new Set<(e: EngineEvent) => unknown>();
  let chain: Promise<unknown> = Promise.resolve();
  /** Settles once init has opened storage (or failed to): ingest waits for it, not for the queue. */
  let storeOpened: Promise<unknown> = Promise.resolve();

  const emit = (e: EngineEvent) => {
    for (const l of listeners) {
      // A page that went away leaves a dead proxy behind: drop it.
      Promise.resolve()
        .then(() => l(e))
        .catch(() => listeners.delete(l));
    }
  };

  // Runs one operation and returns its error as data, never as a throw.
  function settle<T>(code: string, fn: () => Promise<T>): Promise<Result<T>> {
    return fn().then(
      (value): Result<T> => ({ ok: true, value }),
      (err: unknown): Result<T> => {
        const data = toErrorData(code, err);
        log.warn(data.code, data.message);
        return { ok: false, error: data };
      },
    );
  }

  // Every public operation is serialised and returns its error as data, never as a throw.
  function op<T>(code: string, fn: () => Promise<T>): Promise<Result<T>> {
    const run = chain.then(() => settle(code, fn));
    chain = run;
    return run;
  }

  const needStore = (): Store<ProfileState> => {
    const s = persistence?.store;
    if (!s) throw { code: 'worker/not-initialised', message: 'call init() first' };
    return s;
  };

  /** Runs a storage step through the persistence layer (which falls back to memory on failure). */
  const persisting = <T>(step: (s: Store<ProfileState>) => Promise<T>): Promise<T> => {
    needStore();
    return (persistence as Persistence).run(step);
  };

  async function embedLabels(e: Embedder, texts: string[]): Promise<LabelVector[]> {
    if (texts.length === 0) return [];
    const vectors = await e.embed(texts);
    return texts.map((label, i) => ({ label, vector: vectors[i] as Float32Array }));
  }

  function foldContext(): FoldContext | undefined {
    const store = persistence?.store;
    if (!store || !embedder) return undefined;
    return {
      store,
      embedder,
      catalogue,
      topics,
      topicThreshold,
      log,
    };
  }

  async function afterFold(report: FoldReport) {
    const store = persistence?.store;
    lastFold = report;
    totals.cacheHits += report.stats.cache;
    totals.catalogueHits += report.stats.catalogue;
    totals.modelRuns += report.stats.model;
    if (report.sensitive && store) {
      const n = Number((await store.getMeta('sensitiveSkipped')) ?? 0) + report.sensitive;
      await store.setMeta('sensitiveSkipped', String(n));
    }
    await maybeSync(report.profile);
  }

  async function maybeSync(profile: ProfileState | undefined) {
    const store = persistence?.store;
    if (!config.collectorUrl || !store || !basis || !profile || profile.count === 0) return;
    const now = Date.now();
    // The collector's PCA basis replaces the random projection once fetched (cached for offline starts).
    const published = await syncBasis(store, config.collectorUrl, profile.modelId, profile.dim, log, now);
    if (published && published.version !== basis.version) {
      basis = published;
      // Vectors in another basis are not comparable: sync afresh.
      lastSynced = undefined;
    }
    const moved = !lastSynced || 1 - cosine(lastSynced.vector, profile.long) >= config.syncMinDistance;
    const stale = lastSynced && now - lastSynced.at >= config.syncMaxIntervalMs && profile.updatedAt > lastSynced.at;
    // Every fold is one observation of the session against the owner's history.
    const risk = await observeSessionRisk(store, profile);
    if (moved || stale) {
      const layout = { ...DEFAULT_LAYOUT, longDim: config.syncDim, ...config.syncLayout };
      const segments =
        config.syncMode === 'segments' && embedder
          ? memberships(
              profile,
              await segmentVectors(config.segments ?? [], embedder.modelId, (t) => (embedder as Embedder).embed(t)),
              config.segmentThreshold,
            ).map((m) => m.id)
          : undefined;
      const notBefore = nextSendAt(config.syncMinIntervalMs ?? SYNC_MIN_INTERVAL_MS, now);
      await queueSync(store, basis, profile, now, { layout, dp: config.syncDp, risk, segments, notBefore });
      lastSynced = { vector: profile.long, at: now };
    }
    void send(false);
    onOnline(() => send(true));
  }

  // Sends run on their own chain, not the op chain: a collector that takes 10 s to answer must
  // not hold up folds, status() or the page's other calls. Sends stay one at a time, so the
  // outbox's backoff bookkeeping never races itself.
  let sending: Promise<unknown> = Promise.resolve();
  function send(force: boolean): Promise<Result<void>> {
    // Behind init's storage open, as the op chain would have been.
    const run = sending.then(() => storeOpened).then(() => settle('worker/flush', () => sendDue(force)));
    sending = run;
    return run;
  }

  // Sends what the outbox holds that is due (or everything, when forced: back online, page leaving).
  async function sendDue(force: boolean) {
    const store = persistence?.store;
    if (!config.collectorUrl || !store) return;
    const result = await flushOutbox(store, config.collectorUrl, Date.now(), log, force);
    lastSync = result.reports.at(-1) ?? lastSync;
    // A rotated id starts with a fresh sync of the current profile on the next fold.
    if (result.rotated) lastSynced = undefined;
    scheduleFlush(result.retryAt, () => send(false));
  }

  async function startModel(): Promise<void> {
    if (!runtime || model.state === 'loading' || model.state === 'ready') return;
    // Claimed before the first await, so a second call meanwhile does not start another load.
    model = { id: config.modelId, state: 'loading' };
    const failed = await recentGpuFailure();
    choice = chooseBackend(runtime, failed ? 'wasm' : config.backend);
    if (failed) choice.reason = `WebGPU failed here recently (${failed.slice(0, 200)}): WASM; ${choice.reason}`;
    model = {
      id: config.modelId,
      state: 'loading',
      backend: choice.backend,
      threads: choice.threads,
      reason: choice.reason,
    };
    emit({ type: 'status', status: await statusOf() });
    const progress = new Map<string, ModelProgress>();
    try {
      const loaded = await loadModel(
        {
          // Relative to the worker script, which lives in the tag's asset folder on the merchant's origin.
          baseUrl: new URL(config.modelBaseUrl ?? 'models/', self.location.href).href,
          modelId: config.modelId,
          dtype: config.dtype,
        },
        choice,
        (p) => {
          progress.set(p.file, p);
          let loadedBytes = 0;
          let total = 0;
          for (const f of progress.values()) {
            loadedBytes += f.loaded;
            total += f.total;
          }
          model.progress = { loaded: loadedBytes, total };
          emit({ type: 'progress', progress: p });
        },
      );
      model = { ...model, state: 'ready', loadMs: loaded.loadMs };
      modelAttempts = 0;
      delete model.error;
      delete model.retryAt;
      // Its first fold writes to storage like any other: a storage failure there moves the engine
      // to memory (and folds again there) instead of leaving the model in error.
      const ready = await op('worker/model-ready', () => persisting(() => onModelReady(loaded.embedder)));
      if (ready.ok) return;
      if (ready.error.code === BACKEND_FAILED && !gpuFailure) await onGpuFailed(ready.error.message, loaded.embedder);
      else model = { ...model, state: 'error', error: ready.error };
    } catch (err) {
      modelAttempts++;
      const delay = Math.min(MODEL_RETRY_MAX_MS, 5_000 * 2 ** (modelAttempts - 1));
      model = { ...model, state: 'error', error: toErrorData('model/load', err), retryAt: Date.now() + delay };
      log.warn('model failed to load; events stay queued', model.error?.code, model.error?.message);
      // The cache was purged, so a retry downloads afresh; the backoff bounds a server that keeps
      // serving bad bytes.
      retryTimer = setTimeout(() => void startModel(), delay);
      emit({ type: 'status', status: await statusOf() });
    }
  }

  // WebGPU failed mid-inference (device lost, driver reset). The fold that hit it wrote nothing, so
  // its events stay pending. The model is not reloaded on WASM in this worker: onnxruntime-web keeps
  // the lost device for every later session of the same runtime (even a WASM one fails in its GPU
  // buffer manager). The failure is remembered, and the next worker (next page, or the tag's
  // restart) runs WASM and folds what is pending.
  async function onGpuFailed(reason: string, failed: Embedder | undefined) {
    gpuFailure = reason;
    if (embedder === failed) embedder = undefined;
    void failed?.dispose?.().catch(() => undefined);
    log.warn('WebGPU failed; events stay queued for WASM on the next start', reason);
    model = {
      ...model,
      state: 'error',
      error: { code: BACKEND_FAILED, message: `${reason}; events stay queued and fold on WASM from the next start` },
    };
    await persistence?.store?.setMeta(GPU_FAILED_KEY, JSON.stringify({ at: Date.now(), reason }));
    emit({ type: 'status', status: await statusOf() });
  }

  /** Why WebGPU is avoided on this device for now (it failed recently), or undefined. */
  async function recentGpuFailure(): Promise<string | undefined> {
    if (gpuFailure) return gpuFailure;
    try {
      const raw = await persistence?.store?.getMeta(GPU_FAILED_KEY);
      const seen = raw ? (JSON.parse(raw) as { at: number; reason: string }) : undefined;
      return seen && Date.now() - seen.at < GPU_FAILED_FOR_MS ? String(seen.reason) : undefined;
    } catch {
      // Unreadable: WebGPU gets its chance; a failure there is caught again.
      return undefined;
    }
  }

  // Runs in the op chain; the embedder becomes visible to folds only once the sensitive-topic
  // guard and labels are ready, so no event is folded unguarded.
  async function onModelReady(e: Embedder) {
    const s = needStore();
    labels = await embedLabels(e, config.labels ?? []);
    topics =
      config.sensitiveTopics === false ? [] : await embedLabels(e, config.sensitiveTopics ?? [...SENSITIVE_TOPICS]);
    topicThreshold = topics.length
      ? calibratedThreshold(
          topics,
          await e.embed([...NEUTRAL_ANCHORS]),
          config.sensitiveThreshold ?? SENSITIVE_THRESHOLD,
        )
      : SENSITIVE_THRESHOLD;
    model.sensitiveThreshold = topicThreshold;
    basis = randomProjectionBasis(e.dim, config.syncDim);
    if (config.catalogueUrl) {
      catalogue = await catalogueSource(new URL(config.catalogueUrl, self.location.href).href, e.modelId, log);
    }
    embedder = e;
    const ctx = foldContext() as FoldContext;
    const activeModel = await s.getMeta('activeModel');
    const changed = activeModel !== undefined && activeModel !== e.modelId;
    // A new model means a new vector space: rebuild from stored events; the old profile serves until then.
    if (changed || (await s.getMeta('needsRebuild')) === '1') {
      log.info(`rebuilding the profile with ${e.modelId}${changed ? ` (was ${activeModel})` : ''}`);
      await afterFold(await rebuildProfile(ctx, Date.now()));
      if (changed) await s.deleteProfile(activeModel);
      await s.setMeta('needsRebuild', '0');
    } else {
      await afterFold(await foldPending(ctx, Date.now()));
    }
    await s.setMeta('activeModel', e.modelId);
    emit({ type: 'status', status: await statusOf() });
  }

  async function activeProfile(): Promise<ProfileState | undefined> {
    const store = persistence?.store;
    if (!store) return undefined;
    const id = embedder?.modelId ?? (await store.getMeta('activeModel'));
    return id ? store.getProfile(id) : undefined;
  }

  async function statusOf(): Promise<WorkerStatus> {
    const s = persistence?.store;
    const profile = await activeProfile();
    const degraded = s?.kind === 'memory' || model.state === 'error' || model.state === 'deferred';
    const status: WorkerStatus = {
      state: fatal ? 'error' : !s ? 'idle' : model.state === 'loading' ? 'starting' : degraded ? 'degraded' : 'ready',
      persistence: s ? { kind: s.kind } : { kind: 'none' },
      model: { ...model },
      storedEvents: s ? await s.countEvents() : 0,
      pendingEvents: s ? (await s.pendingEvents()).length : 0,
      profileEvents: profile?.count ?? 0,
      sensitiveSkipped: Number((await s?.getMeta('sensitiveSkipped')) ?? 0),
      timings: { ...totals },
    };
    if (persistence?.reason) status.persistence.reason = persistence.reason;
    if (lastFold?.batchMs) {
      status.timings.lastBatchMs = lastFold.batchMs;
      status.timings.lastBatchSize = lastFold.folded + lastFold.sensitive;
    }
    if (lastSync) status.lastSync = lastSync;
    if (fatal) status.error = fatal;
    return status;
  }

  async function refold() {
    const ctx = foldContext();
    if (!ctx) return;
    try {
      await afterFold(await foldPending(ctx, Date.now()));
    } catch (err) {
      const code = (err as { code?: unknown } | undefined)?.code;
      if (code !== BACKEND_FAILED || gpuFailure) throw err;
      // The events are stored and stay pending: the ingest that brought them succeeded.
      await onGpuFailed(toErrorData(BACKEND_FAILED, err).message, ctx.embedder);
    }
  }

  return {
    /** Opens storage, detects the device, and starts (or defers) the model download. */
    init(cfg: WorkerConfig = {}): Promise<Result<WorkerStatus>> {
      let opened: () => void = () => {};
      // Set now, not when the queued init runs: an ingest posted right behind init waits for this.
      storeOpened = new Promise<void>((resolve) => {
        opened = resolve;
      });
      return op('worker/init', async () => {
        config = { ...DEFAULTS, ...cfg };
        log = createLogger('portrait:worker', cfg.logLevel ?? 'warn');
        model = { id: config.modelId, state: 'idle' };
        try {
          persistence ??= createPersistence({
            dbName: cfg.dbName,
            limits: cfg.limits,
            log: () => log,
            queue: (code, fn) => op(code, fn),
            lastProfile: () => lastFold?.profile,
            afterWriteBack: () => refold(),
          });
          await persistence.open();
          runtime = await detectRuntime({ saveData: cfg.saveData, deviceMemory: cfg.deviceMemory });
          fatal = undefined;
        } catch (err) {
          fatal = toErrorData('worker/init', err);
          throw err;
        } finally {
          opened();
        }
        const deferral = downloadDeferral(runtime, config.minDeviceMemoryGb);
        if (deferral) {
          model = { id: config.modelId, state: 'deferred', reason: deferral };
          log.info(deferral);
        } else {
          // Outside the op chain: ingest keeps storing events durably while the model downloads.
          void startModel();
        }
        return statusOf();
      });
    },

    /** Starts a deferred model download (the page decided, e.g. after the shopper opted in). */
    loadModel(): Promise<Result<WorkerStatus>> {
      return op('worker/model', async () => {
        clearTimeout(retryTimer);
        if (model.state === 'deferred' || model.state === 'error') {
          model = { id: config.modelId, state: 'idle' };
          void startModel();
        }
        return statusOf();
      });
    },

    /** Validates, stores, then embeds and folds events; bad events are counted, never thrown. */
    ingest(raw: unknown): Promise<Result<IngestResult>> {
      // Storing does not queue behind folds or a model download: a page that is unloading gives its
      // worker only moments, and the events must be on disk by then. Folding them waits its turn.
      const stored = settle('worker/ingest', async () => {
        if (!persistence?.store) await storeOpened;
        needStore();
        const list = Array.isArray(raw) ? raw.slice(0, MAX_EVENTS_PER_CALL) : [];
        const rejected: { reason: string }[] = [];
        if (!Array.isArray(raw)) rejected.push({ reason: 'ingest expects an array of events' });
        else if (raw.length > MAX_EVENTS_PER_CALL)
          rejected.push({ reason: `only ${MAX_EVENTS_PER_CALL} events per call` });
        const valid: PortraitEvent[] = [];
        for (const r of list) {
          const big = tooLarge(r);
          if (big) {
            rejected.push({ reason: big });
            continue;
          }
          const parsed = parseEvent(r);
          if (parsed.ok) valid.push(parsed.event);
          else rejected.push({ reason: parsed.reason });
        }
        for (const r of rejected) log.debug('event dropped:', r.reason);
        // Stored before embedding: a crash or a missing model leaves them pending, not lost.
        const added = await persisting((st) => st.addEvents(valid, Date.now()));
        return { accepted: added.length, duplicates: valid.length - added.length, rejected };
      });
      return stored.then((r) =>
        r.ok && r.value.accepted > 0
          ? op('worker/ingest', async () => {
              await persisting(() => refold());
              return r.value;
            })
          : r,
      );
    },

    /**
     * Answers at once, outside the queue: the tag asks this while a batch goes unacknowledged, and
     * a worker that does not answer is replaced (a busy one answers between inference runs).
     */
    ping(): Promise<Result<true>> {
      return Promise.resolve({ ok: true, value: true });
    },

    status(): Promise<Result<WorkerStatus>> {
      return op('worker/status', statusOf);
    },

    /** Top interests as the nearest of the configured labels, with weights summing to 1. */
    explain(k = 5): Promise<Result<ExplainedInterest[]>> {
      return op('worker/explain', async () => {
        const profile = await activeProfile();
        if (!profile || profile.count === 0 || labels.length === 0) return [];
        return explainProfile(profile, labels, Math.max(1, Math.min(20, Math.floor(Number(k) || 5))));
      });
    },

    /** Removes an item's events and rebuilds the profile without them. */
    forgetItem(itemId: unknown): Promise<Result<number>> {
      return op('worker/forget-item', async () => {
        if (typeof itemId !== 'string' || !itemId)
          throw { code: 'worker/bad-argument', message: 'item id must be a string' };
        return forgetWhere((e) => e.product?.id === itemId);
      });
    },

    /** Removes events at or after a time (epoch ms) and rebuilds the profile without them. */
    forgetSince(since: unknown): Promise<Result<number>> {
      return op('worker/forget-since', async () => {
        if (typeof since !== 'number' || !Number.isFinite(since)) {
          throw { code: 'worker/bad-argument', message: 'since must be epoch milliseconds' };
        }
        return forgetWhere((e) => e.ts >= since);
      });
    },

    exportData(): Promise<Result<LocalExport>> {
      return op('worker/export', async () => {
        const s = needStore();
        return { events: await s.allEvents(), profiles: await s.allProfiles() };
      });
    },

    /** Wipes everything on the device and asks the collector to erase the synced profile. */
    forget(): Promise<Result<{ serverErased: boolean }>> {
      return op('worker/forget', async () => {
        const s = needStore();
        // A send in flight would store its token after the wipe, tying the new id to the old one.
        await sending;
        const pseudoId = await s.getMeta('pseudoId');
        const token = await s.getMeta('syncToken');
        // Clearing also drops the pseudonymous id: the next sync starts under a new one.
        await s.clear();
        cancelFlush();
        lastSynced = undefined;
        lastSync = undefined;
        const serverErased =
          config.collectorUrl && pseudoId ? await requestErasure(config.collectorUrl, pseudoId, token, log) : false;
        return { serverErased };
      });
    },

    /** Registers a listener (a comlink proxy from the page) for progress and status events. */
    subscribe(listener: (e: EngineEvent) => unknown): Promise<Result<true>> {
      return op('worker/subscribe', async () => {
        listeners.add(listener);
        return true as const;
      });
    },

    /** Sends what is due in the outbox now (the page calls this on `pagehide` and when back online). */
    flush(): Promise<Result<SyncReport | undefined>> {
      return send(true).then((sent) => (sent.ok ? { ok: true, value: lastSync } : sent));
    },

    /**
     * The pending sync for `navigator.sendBeacon(url, body)` on pagehide (workers cannot beacon).
     * The entry stays queued: if the beacon arrives, the next flush is acknowledged as a duplicate.
     */
    pendingBeacon(): Promise<Result<BeaconRequest | undefined>> {
      return op('worker/pending-beacon', async () => {
        const store = persistence?.store;
        return config.collectorUrl && store ? pendingBeacon(store, config.collectorUrl) : undefined;
      });
    },

    /** The current session's anomaly against the owner's own history (e.g. to add friction at checkout). */
    risk(): Promise<Result<RiskReport | undefined>> {
      return op('worker/risk', async () => {
        const profile = await activeProfile();
        const store = persistence?.store;
        return store && profile && profile.count > 0 ? currentRisk(store, profile) : undefined;
      });
    },

    /** The merchant's segments this shopper belongs to, computed here; nothing is sent by this call. */
    segments(): Promise<Result<SegmentMembership[]>> {
      return op('worker/segments', async () => {
        const profile = await activeProfile();
        const e = embedder;
        if (!e || !profile || !config.segments?.length) return [];
        const vectors = await segmentVectors(config.segments, e.modelId, (t) => e.embed(t));
        return memberships(profile, vectors, config.segmentThreshold);
      });
    },

    /** Collector mode: the collector's ranking for the vector it stores for this device (empty before a first sync). */
    recommend(k = 10): Promise<Result<Recommendation[]>> {
      return op('worker/recommend', async () => {
        const s = needStore();
        const [id, token] = [await s.getMeta('pseudoId'), await s.getMeta('syncToken')];
        if (!config.collectorUrl || !id || !token) return [];
        return serverRecommendations(config.collectorUrl, id, token, Math.max(1, Math.min(50, Math.floor(k) || 10)));
      });
    },

    /** Privacy mode: the collector's candidates ranked on the device with the full profile. */
    rerank(k = 10): Promise<Result<RankedItem[]>> {
      return op('worker/rerank', async () => {
        const profile = await activeProfile();
        const store = persistence?.store;
        if (!config.collectorUrl || !store || !basis || !profile || profile.count === 0) return [];
        const published = await syncBasis(store, config.collectorUrl, profile.modelId, profile.dim, log);
        if (published) basis = published;
        return rerankCandidates(config.collectorUrl, profile, basis, Math.max(1, Math.min(100, Math.floor(k) || 10)));
      });
    },

    /** The pseudonymous id the collector knows this device by. */
    pseudonymousId(): Promise<Result<string>> {
      return op('worker/pseudo-id', async () => pseudonymousId(needStore()));
    },
  };

  async function forgetWhere(match: (e: StoredEvent) => boolean): Promise<number> {
    const s = needStore();
    const ids = (await s.allEvents()).filter(match).map((e) => e.id);
    const removed = await s.deleteEvents(ids);
    const ctx = foldContext();
    if (ctx) {
      await afterFold(await rebuildProfile(ctx, Date.now()));
      return removed;
    }
    // No model to rebuild with yet: the old profile still reflects what the shopper asked to
    // forget, so it goes now and is rebuilt from the remaining events once the model is ready.
    const active = await s.getMeta('activeModel');
    if (active) await s.deleteProfile(active);
    await s.setMeta('needsRebuild', '1');
    return removed;
  }
}

export type Engine = ReturnType<typeof createEngine>;
