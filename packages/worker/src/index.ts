export type {
  IngestResult,
  LocalExport,
  Result,
  StoredEvent,
  SyncReport,
  WorkerApi,
  WorkerConfig,
  WorkerStatus,
} from './contract';
export type { Engine } from './engine';
export { createEngine } from './engine';
