// The one typed boundary between page and worker, declared by hand: the engine implements it
// (contract.test.ts fails if they drift), and the page imports it with `import type`, so no
// worker code can reach the tag's bundle. Every method answers a Result: errors cross the
// boundary as data with a string `code`, never as thrown class instances.
import type { SegmentMembership } from '@portrait/core';
import type {
  EngineEvent,
  ExplainedInterest,
  ForgetResult,
  IngestResult,
  LocalExport,
  Result,
  WorkerConfig,
  WorkerStatus,
} from './engine-types.ts';
import type { RecommendedItem, SearchRankedItem } from './recommend/index.ts';
import type { RankedItem, Recommendation } from './rerank.ts';
import type { RiskReport, SyncReport } from './sync/index.ts';

/** What the page may ask of the worker (through comlink's `wrap<WorkerApi>`). */
export interface WorkerApi {
  /** Opens storage, detects the device, and starts (or defers) the model download; once per worker (a second call answers `worker/already-initialised`). */
  init(config?: WorkerConfig): Promise<Result<WorkerStatus>>;
  /** Starts a deferred model download (e.g. after the shopper opted in), or retries a failed one now. */
  loadModel(): Promise<Result<WorkerStatus>>;
  /** Validates and stores events at once, then folds them; bad events are counted with a reason, never thrown. */
  ingest(events: unknown): Promise<Result<IngestResult>>;
  /** Answers at once, outside the queue: the tag replaces a worker that does not. */
  ping(): Promise<Result<true>>;
  /** State, storage, model, counts, timings and the last sync. */
  status(): Promise<Result<WorkerStatus>>;
  /** Top `k` interests as the nearest of the configured labels, weights summing to 1. */
  explain(k?: number): Promise<Result<ExplainedInterest[]>>;
  /** Removes an item's events and rebuilds the profile without them; answers how many went. */
  forgetItem(itemId: unknown): Promise<Result<number>>;
  /** Removes events at or after `since` (epoch ms) and rebuilds the profile; answers how many went. */
  forgetSince(since: unknown): Promise<Result<number>>;
  /** Everything stored on the device: events and profiles. */
  exportData(): Promise<Result<LocalExport>>;
  /**
   * Wipes the device and asks the collector to erase the synced profile; an erasure the collector
   * has not confirmed is kept (with its token) and retried with backoff, here and in later workers.
   */
  forget(): Promise<Result<ForgetResult>>;
  /** Registers a listener (a comlink proxy) for download progress and status changes. */
  subscribe(listener: (e: EngineEvent) => unknown): Promise<Result<true>>;
  /** Sends what the outbox holds now, ignoring backoff (never before a collector's Retry-After). */
  flush(): Promise<Result<SyncReport | undefined>>;
  /** The session's anomaly against the owner's own history (e.g. friction at checkout). */
  risk(): Promise<Result<RiskReport | undefined>>;
  /** The merchant's segments this shopper belongs to, computed here; nothing is sent. */
  segments(): Promise<Result<SegmentMembership[]>>;
  /** The collector's ranking for the vector it stores for this device (empty before a first sync). */
  recommend(k?: number): Promise<Result<Recommendation[]>>;
  /** The collector's candidates ranked on the device with the full profile. */
  rerank(k?: number): Promise<Result<RankedItem[]>>;
  /**
   * "For you", ranked here: the profile, the merchant's order-log neighbours of the shopper's
   * recent items and its popularity, over the catalogue's published items; each with its reason.
   * Never an item the shopper chose on this device, unless `shopHistory` (the shop's own record
   * of this shopper's orders, `{ id, count }[]`, at most 100) names it: those may come back as
   * "buy again", weighted by the shop's counts.
   */
  forYou(k?: number, shopHistory?: unknown): Promise<Result<RecommendedItem[]>>;
  /** Items related to one item (its order-log neighbours blended with text similarity), with reasons. */
  related(itemId: unknown, k?: number): Promise<Result<RecommendedItem[]>>;
  /** Items often bought together with one item (the merchant's published list), strongest first. */
  boughtTogether(itemId: unknown, k?: number): Promise<Result<RecommendedItem[]>>;
  /**
   * The page's search results (ids in the shop's order, at most 100) re-ordered here by the
   * shop's order, the profile and the catalogue signals, each with its reason: always exactly the
   * ids given, in another order; results the catalogue lacks keep their place.
   */
  searchRank(ids: unknown): Promise<Result<SearchRankedItem[]>>;
  /** The pseudonymous id the collector knows this device by. */
  pseudonymousId(): Promise<Result<string>>;
}

export type {
  EngineEvent,
  ExplainedInterest,
  ForgetResult,
  IngestResult,
  LocalExport,
  Result,
  WorkerConfig,
  WorkerStatus,
} from './engine-types.ts';
export type { DownloadProgress } from './model/download-progress.ts';
export type { ModelProgress } from './model/model-source.ts';
export type { RecommendedItem, RecommendReason, SearchRankedItem, SearchReason } from './recommend/index.ts';
export type { RankedItem, Recommendation } from './rerank.ts';
export type { StoredEvent } from './store/types.ts';
export type { RiskReport, SyncReport } from './sync/index.ts';
