import {
  type Basis,
  cosine,
  createLogger,
  emptyProfile,
  eventText,
  eventWeight,
  foldEmbedding,
  type Logger,
  type LogLevel,
  type PortraitErrorData,
  type PortraitEvent,
  type ProfileVector,
  parseEvent,
  randomProjectionBasis,
  toErrorData,
} from '@portrait/core';
import type { Embedder } from './embedder';
import { placeholderEmbedder } from './placeholder-embedder';
import { openStore, type Store, type StoredEvent } from './store';
import { flushOutbox, queueSync, type SyncReport } from './sync';

/** What the page may configure in the worker. */
export interface WorkerConfig {
  collectorUrl?: string;
  /** Learning rate of the profile update. */
  eta?: number;
  /** Cosine distance the profile must move before a new sync. */
  syncMinDistance?: number;
  /** Compact-vector dimension sent to the collector. */
  syncDim?: number;
  logLevel?: LogLevel;
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
}

export interface WorkerStatus {
  state: 'idle' | 'ready' | 'error';
  modelId?: string;
  backend?: string;
  storedEvents: number;
  profileEvents: number;
  lastSync?: SyncReport;
  error?: PortraitErrorData;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { reason: string }[];
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: PortraitErrorData };

export interface LocalExport {
  events: StoredEvent[];
  profiles: { modelId: string; count: number; updatedAt: number; vector: number[] }[];
}

const DEFAULTS = { eta: 0.15, syncMinDistance: 0.02, syncDim: 64 } as const;

/** The profile engine: one per worker. Operations run one at a time so the store never interleaves. */
export function createEngine() {
  let log: Logger = createLogger('portrait:worker');
  let config: Required<Pick<WorkerConfig, 'eta' | 'syncMinDistance' | 'syncDim'>> & WorkerConfig = { ...DEFAULTS };
  let store: Store | undefined;
  let embedder: Embedder | undefined;
  let basis: Basis | undefined;
  let lastSynced: Float32Array | undefined;
  let lastSync: SyncReport | undefined;
  let error: PortraitErrorData | undefined;
  let chain: Promise<unknown> = Promise.resolve();

  // Every public operation is serialised and returns its error as data.
  function op<T>(code: string, fn: () => Promise<T>): Promise<Result<T>> {
    const run = chain.then(fn).then(
      (value): Result<T> => ({ ok: true, value }),
      (err: unknown): Result<T> => {
        const data = toErrorData(code, err);
        log.warn(data.code, data.message);
        return { ok: false, error: data };
      },
    );
    chain = run;
    return run;
  }

  const need = (): Store => {
    if (!store) throw { code: 'worker/not-initialised', message: 'call init() first' };
    return store;
  };

  async function processPending(s: Store, e: Embedder, now: number): Promise<ProfileVector | undefined> {
    const pending = await s.pendingEvents();
    if (pending.length === 0) return s.getProfile(e.modelId);
    pending.sort((a, b) => a.ts - b.ts);
    const texts = pending.map((ev) => eventText(ev) ?? '');
    const vectors = await e.embed(texts.map((t) => t || ' '));
    return s.applyEvents(
      e.modelId,
      pending.map((ev) => ev.id),
      (before, fresh) => {
        let p = before ?? emptyProfile(e.modelId, e.dim);
        const byId = new Map(pending.map((ev, i) => [ev.id, i]));
        for (const ev of fresh) {
          const i = byId.get(ev.id) as number;
          const v = vectors[i];
          // An event with no words (a bare custom event) is kept but does not move the profile.
          if (!texts[i] || !v) continue;
          const next = foldEmbedding(p, v, config.eta, eventWeight(ev), now);
          if (next) p = next;
          else log.debug('embedding unusable, event kept but not folded', ev.id);
        }
        return p;
      },
    );
  }

  async function maybeSync(s: Store, profile: ProfileVector | undefined, now: number): Promise<void> {
    if (!config.collectorUrl || !basis || !profile || profile.count === 0) return;
    if (!lastSynced || 1 - cosine(lastSynced, profile.vector) >= config.syncMinDistance) {
      await queueSync(s, basis, profile, now);
      lastSynced = profile.vector;
    }
    const reports = await flushOutbox(s, config.collectorUrl, log);
    lastSync = reports.at(-1) ?? lastSync;
  }

  return {
    init(cfg: WorkerConfig = {}): Promise<Result<WorkerStatus>> {
      return op('worker/init', async () => {
        config = { ...DEFAULTS, ...cfg };
        log = createLogger('portrait:worker', cfg.logLevel ?? 'warn');
        try {
          store ??= await openStore(cfg.dbName);
          embedder ??= placeholderEmbedder();
          basis ??= randomProjectionBasis(embedder.dim, config.syncDim);
          error = undefined;
          // Events stored by an earlier page that never got folded (crash, closed tab) go in now.
          const profile = await processPending(store, embedder, Date.now());
          await maybeSync(store, profile, Date.now());
        } catch (err) {
          error = toErrorData('worker/init', err);
          throw err;
        }
        return statusOf(store);
      });
    },

    ingest(raw: unknown[]): Promise<Result<IngestResult>> {
      return op('worker/ingest', async () => {
        const s = need();
        const e = embedder as Embedder;
        const rejected: { reason: string }[] = [];
        const valid: PortraitEvent[] = [];
        for (const r of Array.isArray(raw) ? raw : []) {
          const parsed = parseEvent(r);
          if (parsed.ok) valid.push(parsed.event);
          else rejected.push({ reason: parsed.reason });
        }
        for (const r of rejected) log.debug('event dropped:', r.reason);
        // Stored before embedding: a crash from here on leaves them pending, not lost.
        const added = await s.addEvents(valid);
        const now = Date.now();
        const profile = await processPending(s, e, now);
        await maybeSync(s, profile, now);
        return { accepted: added.length, duplicates: valid.length - added.length, rejected };
      });
    },

    status(): Promise<Result<WorkerStatus>> {
      return op('worker/status', async () => statusOf(store));
    },

    exportData(): Promise<Result<LocalExport>> {
      return op('worker/export', async () => {
        const s = need();
        const profiles = (await s.allProfiles()).map((p) => ({
          modelId: p.modelId,
          count: p.count,
          updatedAt: p.updatedAt,
          vector: Array.from(p.vector),
        }));
        return { events: await s.allEvents(), profiles };
      });
    },

    forget(): Promise<Result<true>> {
      return op('worker/forget', async () => {
        await need().clear();
        lastSynced = undefined;
        lastSync = undefined;
        return true as const;
      });
    },
  };

  async function statusOf(s: Store | undefined): Promise<WorkerStatus> {
    const status: WorkerStatus = {
      state: error ? 'error' : s ? 'ready' : 'idle',
      storedEvents: s ? await s.countEvents() : 0,
      profileEvents: s && embedder ? ((await s.getProfile(embedder.modelId))?.count ?? 0) : 0,
    };
    if (embedder) {
      status.modelId = embedder.modelId;
      status.backend = embedder.backend;
    }
    if (lastSync) status.lastSync = lastSync;
    if (error) status.error = error;
    return status;
  }
}

export type Engine = ReturnType<typeof createEngine>;
