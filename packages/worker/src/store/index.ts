// The engine's storage: IndexedDB (memory when it fails), and the one table of meta keys.

export { createMemoryStore } from './memory-store';
export type { MetaKey } from './meta-keys';
export { META, META_PER_MODEL } from './meta-keys';
export type { Persistence, PersistenceOptions } from './persistence';
export { createPersistence } from './persistence';
export type { OutboxEntry, Store, StoredEvent, StoreLimits } from './types';
