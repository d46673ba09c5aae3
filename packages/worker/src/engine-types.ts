import type { DpBudget, LogLevel, PayloadLayout, PortraitErrorData, ProfileState } from '@portrait/core';
import type { DownloadProgress } from './model/download-progress.ts';
import type { Backend } from './model/runtime-env.ts';
import type { StoredEvent, StoreLimits } from './store/types.ts';
import type { SyncReport } from './sync/outbox.ts';

// The engine's side of the page contract: what it can be told, and what it answers.

/** What the page may configure in the worker. */
export interface WorkerConfig {
  collectorUrl?: string;
  /** Folder of model folders; defaults to `models/` beside the worker script. */
  modelBaseUrl?: string;
  /** Model folder name, stored with every vector. Default 'use-lite'. */
  modelId?: string;
  dtype?: 'q8' | 'fp32';
  /** Force a backend instead of the automatic choice. */
  backend?: Backend;
  /**
   * Merchant catalogue vector folder (manifest.json + shards); default `<collectorUrl>/v1/catalogue-vectors/`,
   * `false` for none. Catalogue items fold from it before (or without) any model download.
   */
  catalogueUrl?: string | false;
  /**
   * When the model downloads: 'auto' (default) only once an event or a configured feature needs it
   * (free text, items the catalogue lacks, segments), in idle time; 'eager' at init; 'never'.
   * Save-Data, a 2g/3g connection or low device memory defer it in every mode until loadModel().
   */
  model?: 'auto' | 'eager' | 'never';
  /** Labels `explain()` names interests with (e.g. category names). */
  labels?: string[];
  /** Texts of topics never folded into the profile; `false` turns the guard off. */
  sensitiveTopics?: string[] | false;
  sensitiveThreshold?: number;
  limits?: Partial<StoreLimits>;
  /** Cosine distance the profile must move before a new sync. */
  syncMinDistance?: number;
  /** A sync is queued at least this often while the profile changes at all (ms). */
  syncMaxIntervalMs?: number;
  /** Syncs are sent at most this often (ms); newer ones queued meanwhile replace the pending one. */
  syncMinIntervalMs?: number;
  syncDim?: number;
  /** Which vectors the payload carries and their components; default long 64, short 8, one centroid 8 (127 B). */
  syncLayout?: Partial<PayloadLayout>;
  /**
   * Local differential privacy, off unless set: everything one id sends in an epoch is together
   * (epsilon, delta)-DP (at most `releases` payloads, each with its share; see core dp-budget.ts).
   * A budget that cannot be used is refused at init.
   */
  dp?: Partial<DpBudget>;
  /** Days a pseudonymous id lives: at each epoch (UTC-aligned) the device syncs under a new random id. Default 7. */
  epochDays?: number;
  /** Audience segment texts the merchant publishes; membership is computed on the device. */
  segments?: string[];
  /** Cosine a profile needs with a segment text (default 0.35). */
  segmentThreshold?: number;
  /** 'segments' sends segment ids instead of any vector (less leaves the device). Default 'vector'. */
  syncMode?: 'vector' | 'segments';
  /** The page's view of Save-Data, the connection and device memory (workers may not see them). */
  saveData?: boolean;
  effectiveType?: string;
  deviceMemory?: number;
  /** Below this deviceMemory (GB) the model is not loaded. */
  minDeviceMemoryGb?: number;
  logLevel?: LogLevel;
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
}

/** What the engine tells the page about itself. */
export interface WorkerStatus {
  state: 'idle' | 'starting' | 'ready' | 'degraded' | 'error';
  persistence: { kind: 'indexeddb' | 'memory' | 'none'; reason?: string };
  model: {
    id: string;
    state: 'idle' | 'deferred' | 'loading' | 'ready' | 'error';
    backend?: Backend;
    threads?: number;
    reason?: string;
    loadMs?: number;
    /** Bytes of the model's download against every file the device fetches for it, fixed from the first event. */
    progress?: DownloadProgress;
    error?: PortraitErrorData;
    retryAt?: number;
    /** The sensitive-topic threshold in force, calibrated for this model. */
    sensitiveThreshold?: number;
  };
  storedEvents: number;
  pendingEvents: number;
  profileEvents: number;
  sensitiveSkipped: number;
  timings: {
    lastBatchMs?: number;
    lastBatchSize?: number;
    cacheHits: number;
    catalogueHits: number;
    modelRuns: number;
  };
  lastSync?: SyncReport;
  error?: PortraitErrorData;
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { reason: string }[];
}

/** Push notifications to the page (download progress, status changes). */
export type EngineEvent = { type: 'progress'; progress: DownloadProgress } | { type: 'status'; status: WorkerStatus };

export type Result<T> = { ok: true; value: T } | { ok: false; error: PortraitErrorData };

export interface ExplainedInterest {
  label: string;
  weight: number;
}

/** What `forget()` did: the device is always wiped; the collector's copy is erased, pending (retried with backoff), or was never synced. */
export interface ForgetResult {
  collector: 'erased' | 'pending' | 'not-synced';
}

export interface LocalExport {
  events: StoredEvent[];
  profiles: ProfileState[];
}

export const DEFAULTS = {
  modelId: 'use-lite',
  dtype: 'q8',
  syncMinDistance: 0.02,
  syncMaxIntervalMs: 6 * 3_600_000,
  syncDim: 64,
  minDeviceMemoryGb: 2,
  epochDays: 7,
  model: 'auto',
} as const satisfies Partial<WorkerConfig>;
export type ResolvedConfig = WorkerConfig & Required<Pick<WorkerConfig, keyof typeof DEFAULTS>>;
