// Pending events → embedding (catalogue, cache, model) → profile, under the cross-tab lock.

export type { Folder, FolderDeps } from './folder';
export { createFolder } from './folder';
export { validateBatch } from './ingest-batch';
export type { FoldReport, LabelVector } from './profile-fold';
