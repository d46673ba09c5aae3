// The one typed boundary between page and worker. Types only: the page imports this with
// `import type`, so no worker code can reach the tag's bundle.
export type { Engine as WorkerApi, IngestResult, LocalExport, Result, WorkerConfig, WorkerStatus } from './engine';
export type { StoredEvent } from './store';
export type { SyncReport } from './sync';
