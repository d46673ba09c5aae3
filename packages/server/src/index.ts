export type { Collector, CollectorOptions } from './collector';
export { createCollector } from './collector';
export type { CollectorDb, StoredProfile } from './db';
export { openDatabase } from './db';
