// The engine's storage: IndexedDB (memory when it fails), and the one table of meta keys.

export { createMemoryStore } from './memory-store.ts';
export type { MetaKey } from './meta-keys.ts';
export { META, META_PER_MODEL } from './meta-keys.ts';
export type { Persistence, PersistenceOptions } from './persistence.ts';
export { createPersistence } from './persistence.ts';
export type { OutboxEntry, Store, StoredEvent, StoreLimits } from './types.ts';
