// Pending events → embedding (catalogue, cache, model) → profile, under the cross-tab lock.

export type { Folder, FolderDeps } from './folder.ts';
export { createFolder } from './folder.ts';
export { validateBatch } from './ingest-batch.ts';
export type { FoldReport, LabelVector } from './profile-fold.ts';
