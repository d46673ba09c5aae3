export type {
  EngineEvent,
  ExplainedInterest,
  ForgetResult,
  IngestResult,
  LocalExport,
  ModelProgress,
  RankedItem,
  Recommendation,
  Result,
  RiskReport,
  StoredEvent,
  SyncReport,
  WorkerApi,
  WorkerConfig,
  WorkerStatus,
} from './contract';
export type { EngineDeps } from './engine';
export { createEngine } from './engine';
