export type {
  DownloadProgress,
  EngineEvent,
  ExplainedInterest,
  ForgetResult,
  IngestResult,
  LocalExport,
  ModelProgress,
  RankedItem,
  Recommendation,
  RecommendedItem,
  RecommendReason,
  Result,
  RiskReport,
  SearchRankedItem,
  SearchReason,
  StoredEvent,
  SyncReport,
  WorkerApi,
  WorkerConfig,
  WorkerStatus,
} from './contract.ts';
export type { EngineDeps } from './engine.ts';
export { createEngine } from './engine.ts';
