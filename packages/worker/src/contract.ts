// The one typed boundary between page and worker. Types only: the page imports this with
// `import type`, so no worker code can reach the tag's bundle.
export type { Engine as WorkerApi } from './engine';
export type {
  EngineEvent,
  ExplainedInterest,
  IngestResult,
  LocalExport,
  Result,
  WorkerConfig,
  WorkerStatus,
} from './engine-types';
export type { ModelProgress } from './model-source';
export type { StoredEvent } from './store/types';
export type { SyncReport } from './sync';
