import {
  createLogger,
  eventWeight,
  explain as explainProfile,
  type Logger,
  type PortraitErrorData,
  type ProfileState,
  toErrorData,
} from '@portrait/core';
import type { WorkerApi } from './contract.ts';
import { DEFAULT_DEPS, type EngineDeps } from './engine-deps.ts';
import { DEFAULTS, type EngineEvent, type ResolvedConfig, type WorkerStatus } from './engine-types.ts';
import { createFolder, validateBatch } from './fold/index.ts';
import { createModelLifecycle, type detectRuntime } from './model/index.ts';
import { createOpQueue, settle } from './op-queue.ts';
import {
  boughtTogether,
  forYou,
  MAX_SEARCH_IDS,
  MAX_SHOP_HISTORY,
  related,
  SEARCH_REASONS,
  searchIds,
  searchRank,
  shopHistoryOf,
} from './recommend/index.ts';
import { rerankCandidates, serverRecommendations } from './rerank.ts';
import { createPersistence, META, type Persistence, type Store } from './store/index.ts';

export type { EngineDeps } from './engine-deps.ts';

import { configuredBudget, createSyncController, currentRisk, pseudonymousId } from './sync/index.ts';

const clampInt = (k: unknown, fallback: number, max: number) =>
  Math.max(1, Math.min(max, Math.floor(Number(k)) || fallback));

/**
 * The profile engine: one per worker, reached only through the comlink contract. A facade over
 * its parts: storage (store/), the model lifecycle (model/), folding (fold/) and sync (sync/).
 */
export function createEngine(overrides: Partial<EngineDeps> = {}): WorkerApi {
  const deps: EngineDeps = { ...DEFAULT_DEPS, ...overrides };
  let log: Logger = createLogger('portrait:worker');
  let config: ResolvedConfig = { ...DEFAULTS };
  let persistence: Persistence | undefined;
  let fatal: PortraitErrorData | undefined;
  const listeners = new Set<(e: EngineEvent) => unknown>();
  const queue = createOpQueue(() => log);
  const op = queue.run;
  /** Settles once init has opened storage (or failed to): ingest waits for it, not for the queue. */
  let storeOpened: Promise<unknown> = Promise.resolve();
  let initialised = false;

  const store = () => persistence?.store;
  const needStore = (): Store<ProfileState> => {
    const s = store();
    if (!s) throw { code: 'worker/not-initialised', message: 'call init() first' };
    return s;
  };
  /** Runs a storage step through the persistence layer (which falls back to memory on failure). */
  const persisting = <T>(step: (s: Store<ProfileState>) => Promise<T>): Promise<T> => {
    needStore();
    return (persistence as Persistence).run(step);
  };

  const emit = (e: EngineEvent) => {
    for (const l of listeners) {
      // A page that went away leaves a dead proxy behind: drop it.
      Promise.resolve()
        .then(() => l(e))
        .catch(() => listeners.delete(l));
    }
  };
  const emitStatus = async () => emit({ type: 'status', status: await statusOf() });

  const sync = createSyncController({
    config: () => config,
    store,
    log: () => log,
    embedder: () => folder.embedder,
    storeOpened: () => storeOpened,
  });
  const folder = createFolder({
    config: () => config,
    store,
    log: () => log,
    baseUrl: deps.baseUrl,
    afterFold: (profile) => sync.afterFold(profile),
    onWaiting: () => model.want(),
    onBackendFailed: (reason, e) => model.backendFailed(reason, e),
  });
  const model = createModelLifecycle({
    config: () => config,
    store,
    log: () => log,
    baseUrl: deps.baseUrl,
    load: deps.loadModel,
    // Its first fold writes to storage like any other: a storage failure there moves the engine
    // to memory (and folds again there) instead of leaving the model in error.
    adopt: (e) => op('worker/model-ready', () => persisting(() => folder.adopt(e))),
    drop: (e) => folder.drop(e),
    emitStatus,
    emitProgress: (progress) => emit({ type: 'progress', progress }),
  });

  async function statusOf(): Promise<WorkerStatus> {
    const s = store();
    const m = model.status();
    const profile = await folder.activeProfile();
    const degraded = s?.kind === 'memory' || m.state === 'error' || m.state === 'deferred';
    const status: WorkerStatus = {
      state: fatal ? 'error' : !s ? 'idle' : m.state === 'loading' ? 'starting' : degraded ? 'degraded' : 'ready',
      persistence: s ? { kind: s.kind } : { kind: 'none' },
      model: m,
      storedEvents: s ? await s.countEvents() : 0,
      pendingEvents: s ? (await s.pendingEvents()).length : 0,
      profileEvents: profile?.count ?? 0,
      sensitiveSkipped: Number((await s?.getMeta(META.sensitiveSkipped)) ?? 0),
      timings: folder.timings(),
    };
    if (persistence?.reason) status.persistence.reason = persistence.reason;
    const lastSync = sync.lastReport;
    if (lastSync) status.lastSync = lastSync;
    if (fatal) status.error = fatal;
    return status;
  }

  /** The shopper's chosen items, latest first: what the neighbours and the repeat term read. */
  async function chosenItems(s: Store<ProfileState>): Promise<{ id: string; count: number }[]> {
    const counts = new Map<string, { count: number; ts: number }>();
    for (const e of await s.allEvents()) {
      const id = e.product?.id;
      // An impression is what the page showed, not what the shopper chose: counted, every card
      // drawn would push the chosen items out of the recent ones and out of the list.
      if (!id || e.type === 'impression' || !(eventWeight(e) > 0)) continue;
      const c = counts.get(id) ?? { count: 0, ts: e.ts };
      counts.set(id, { count: c.count + 1, ts: Math.max(c.ts, e.ts) });
    }
    return [...counts].sort((a, b) => b[1].ts - a[1].ts).map(([id, c]) => ({ id, count: c.count }));
  }

  /** What the recommenders read of the shopper: chosen items, and the profile when it is in the catalogue's space. */
  async function shopper(cat: { modelId: string; dim: number }, s: Store<ProfileState>) {
    const recent = await chosenItems(s);
    const profile = await folder.activeProfile();
    // Profile cosines only within the catalogue's vector space.
    return profile && profile.modelId === cat.modelId && profile.dim === cat.dim ? { profile, recent } : { recent };
  }

  return {
    init(cfg = {}) {
      // One configuration per worker: a script that got hold of the port cannot re-point sync,
      // storage or the model at its own servers. A failed init may be retried.
      if (initialised)
        return Promise.resolve({
          ok: false as const,
          error: { code: 'worker/already-initialised', message: 'init() runs once per worker' },
        });
      initialised = true;
      let opened: () => void = () => {};
      // Set now, not when the queued init runs: an ingest posted right behind init waits for this.
      storeOpened = new Promise<void>((resolve) => {
        opened = resolve;
      });
      return op('worker/init', async () => {
        config = { ...DEFAULTS, ...cfg };
        log = createLogger('portrait:worker', cfg.logLevel ?? 'warn');
        let runtime: Awaited<ReturnType<typeof detectRuntime>>;
        // Independent of storage, so they overlap with opening it: on a returning page the
        // adapter probe and the manifest (HTTP-cached) are most of the time to the first fold.
        const runtimeProbe = deps.detectRuntime({
          saveData: cfg.saveData,
          deviceMemory: cfg.deviceMemory,
          effectiveType: cfg.effectiveType,
        });
        const catalogueOpened = folder.openCatalogue();
        // Awaited below, or dropped with the failed init: never an unhandled rejection.
        runtimeProbe.catch(() => {});
        catalogueOpened.catch(() => {});
        try {
          // A DP budget that cannot hold is refused here, not discovered at the first sync.
          configuredBudget(cfg.dp);
          persistence ??= createPersistence({
            dbName: cfg.dbName,
            limits: cfg.limits,
            log: () => log,
            queue: (code, fn) => op(code, fn),
            lastProfile: () => folder.lastProfile,
            afterWriteBack: () => folder.refold(),
            openDurable: deps.openDurable,
          });
          await persistence.open();
          runtime = await runtimeProbe;
          fatal = undefined;
        } catch (err) {
          fatal = toErrorData('worker/init', err);
          initialised = false;
          throw err;
        } finally {
          opened();
        }
        // The catalogue's manifest decides whether the model is needed at all before any event.
        const hasCatalogue = await catalogueOpened;
        model.begin(runtime, !hasCatalogue || (await folder.featuresNeedModel()));
        await sync.resume();
        // Events an earlier page left pending fold now if the catalogue has them.
        if (hasCatalogue) void op('worker/fold', () => persisting(() => folder.refold()));
        return statusOf();
      });
    },

    loadModel() {
      return op('worker/model', async () => {
        model.retryNow();
        return statusOf();
      });
    },

    ingest(raw) {
      // Storing does not queue behind folds or a model download: a page that is unloading gives its
      // worker only moments, and the events must be on disk by then. Folding them waits its turn.
      const stored = settle(
        'worker/ingest',
        async () => {
          if (!store()) await storeOpened;
          needStore();
          const { valid, rejected } = validateBatch(raw);
          for (const r of rejected) log.debug('event dropped:', r.reason);
          // Stored before embedding: a crash or a missing model leaves them pending, not lost.
          const added = await persisting((st) => st.addEvents(valid, Date.now()));
          return { accepted: added.length, duplicates: valid.length - added.length, rejected };
        },
        () => log,
      );
      return stored.then((r) =>
        r.ok && r.value.accepted > 0
          ? op('worker/ingest', async () => {
              await persisting(() => folder.refold());
              return r.value;
            })
          : r,
      );
    },

    ping() {
      return Promise.resolve({ ok: true, value: true });
    },

    status() {
      return op('worker/status', statusOf);
    },

    explain(k = 5) {
      return op('worker/explain', async () => {
        const profile = await folder.activeProfile();
        const labels = await folder.labels();
        if (!profile || profile.count === 0 || labels.length === 0) return [];
        return explainProfile(profile, labels, clampInt(k, 5, 20));
      });
    },

    forgetItem(itemId) {
      return op('worker/forget-item', async () => {
        if (typeof itemId !== 'string' || !itemId)
          throw { code: 'worker/bad-argument', message: 'item id must be a string' };
        return folder.forgetWhere((e) => e.product?.id === itemId);
      });
    },

    forgetSince(since) {
      return op('worker/forget-since', async () => {
        if (typeof since !== 'number' || !Number.isFinite(since)) {
          throw { code: 'worker/bad-argument', message: 'since must be epoch milliseconds' };
        }
        return folder.forgetWhere((e) => e.ts >= since);
      });
    },

    exportData() {
      return op('worker/export', async () => {
        const s = needStore();
        return { events: await s.allEvents(), profiles: await s.allProfiles() };
      });
    },

    forget() {
      return op('worker/forget', async () => {
        const s = needStore();
        // Clearing also drops the pseudonymous id: the next sync starts under a new one.
        return { collector: await sync.forget(s, () => s.clear()) };
      });
    },

    subscribe(listener) {
      return op('worker/subscribe', async () => {
        listeners.add(listener);
        return true as const;
      });
    },

    flush() {
      return sync.send(true).then((sent) => (sent.ok ? { ok: true, value: sync.lastReport } : sent));
    },

    risk() {
      return op('worker/risk', async () => {
        const profile = await folder.activeProfile();
        const s = store();
        return s && profile && profile.count > 0 ? currentRisk(s, profile) : undefined;
      });
    },

    segments() {
      return op('worker/segments', async () => {
        const profile = await folder.activeProfile();
        const e = folder.embedder;
        return e && profile ? sync.segments(profile, e) : [];
      });
    },

    recommend(k = 10) {
      return op('worker/recommend', async () => {
        const s = needStore();
        const [id, token] = [await s.getMeta(META.pseudoId), await s.getMeta(META.syncToken)];
        if (!config.collectorUrl || !id || !token) return [];
        return serverRecommendations(config.collectorUrl, id, token, clampInt(k, 10, 50));
      });
    },

    rerank(k = 10) {
      return op('worker/rerank', async () => {
        const profile = await folder.activeProfile();
        const s = store();
        if (!config.collectorUrl || !s || !profile || profile.count === 0) return [];
        const basis = await sync.basisFor(s, config.collectorUrl, profile);
        return rerankCandidates(config.collectorUrl, profile, basis, clampInt(k, 10, 100));
      });
    },

    forYou(k = 10, shopHistory?: unknown) {
      return op('worker/for-you', async () => {
        const shop = shopHistoryOf(shopHistory);
        if (!shop)
          throw {
            code: 'worker/bad-argument',
            message: `shopHistory must be an array of at most ${MAX_SHOP_HISTORY} { id, count } (count 1 to 1000)`,
          };
        const cat = folder.catalogue();
        const s = store();
        if (!cat || !s) return [];
        const input = { ...(await shopper(cat, s)), shopHistory: shop };
        // The answer goes to the page, and so to every script on it: the shopper's own items would
        // be their history in score order, and `because` names which one a neighbour came from.
        // So neither crosses (DEFAULT_RECOMMENDER.forYou.excludeSeen); only what the shop's own
        // record names may come back.
        const shown = await forYou(input, cat, clampInt(k, 10, 50));
        return shown.map(({ id, score, reason }) => ({ id, score, reason }));
      });
    },

    related(itemId, k = 10) {
      return op('worker/related', async () => {
        if (typeof itemId !== 'string' || !itemId)
          throw { code: 'worker/bad-argument', message: 'item id must be a string' };
        const cat = folder.catalogue();
        return cat ? related(itemId, cat, clampInt(k, 10, 50)) : [];
      });
    },

    boughtTogether(itemId, k = 10) {
      return op('worker/bought-together', async () => {
        if (typeof itemId !== 'string' || !itemId)
          throw { code: 'worker/bad-argument', message: 'item id must be a string' };
        const cat = folder.catalogue();
        return cat ? boughtTogether(itemId, cat, clampInt(k, 10, 50)) : [];
      });
    },

    searchRank(ids) {
      return op('worker/search-rank', async () => {
        const given = searchIds(ids);
        if (!given)
          throw {
            code: 'worker/bad-argument',
            message: `ids must be an array of at most ${MAX_SEARCH_IDS} non-empty strings`,
          };
        const cat = folder.catalogue();
        const s = store();
        // No catalogue (or no storage yet): nothing to rank by, the shop's order as given.
        if (!cat || !s) return given.map((id) => ({ id, reason: SEARCH_REASONS.shopOrder }));
        // The answer goes to the page: searchRank answers only a permutation of `given`, each with
        // id and reason (no score, no `because`); it reads at most MAX_SEARCH_SHARDS shards of results.
        return searchRank(given, await shopper(cat, s), cat);
      });
    },

    pseudonymousId() {
      return op('worker/pseudo-id', async () => pseudonymousId(needStore()));
    },
  };
}
