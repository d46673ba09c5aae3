export type {
  EngineEvent,
  ExplainedInterest,
  IngestResult,
  LocalExport,
  ModelProgress,
  Result,
  StoredEvent,
  SyncReport,
  WorkerApi,
  WorkerConfig,
  WorkerStatus,
} from './contract';
export type { Engine } from './engine';
export { createEngine } from './engine';
