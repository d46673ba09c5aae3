import type { PortraitEvent, ProfileVector } from '@portrait/core';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';

/** A captured event as kept on the device; `applied` flips once it is folded into the profile. */
export interface StoredEvent extends PortraitEvent {
  applied: 0 | 1;
}

/** A sync waiting to be acknowledged; one per profile, a newer one replaces it. */
export interface OutboxEntry {
  modelId: string;
  body: Uint8Array<ArrayBuffer>;
  idempotencyKey: string;
  createdAt: number;
  attempts: number;
}

interface PortraitDB extends DBSchema {
  events: { key: string; value: StoredEvent; indexes: { ts: number; applied: number } };
  profiles: { key: string; value: ProfileVector };
  outbox: { key: string; value: OutboxEntry };
  meta: { key: string; value: string };
}

export const DB_NAME = 'portrait';
const DB_VERSION = 1;

export type Store = Awaited<ReturnType<typeof openStore>>;

export async function openStore(name = DB_NAME) {
  const db: IDBPDatabase<PortraitDB> = await openDB<PortraitDB>(name, DB_VERSION, {
    upgrade(db) {
      const events = db.createObjectStore('events', { keyPath: 'id' });
      events.createIndex('ts', 'ts');
      // Booleans are not valid IndexedDB keys, so `applied` is 0/1.
      events.createIndex('applied', 'applied');
      db.createObjectStore('profiles', { keyPath: 'modelId' });
      db.createObjectStore('outbox', { keyPath: 'modelId' });
      db.createObjectStore('meta');
    },
  });

  return {
    /** Stores events not seen before (by id) and returns those; replays are no-ops. */
    async addEvents(events: PortraitEvent[]): Promise<StoredEvent[]> {
      const tx = db.transaction('events', 'readwrite');
      const added: StoredEvent[] = [];
      for (const e of events) {
        if (await tx.store.getKey(e.id)) continue;
        const stored: StoredEvent = { ...e, applied: 0 };
        await tx.store.put(stored);
        added.push(stored);
      }
      await tx.done;
      return added;
    },

    pendingEvents(): Promise<StoredEvent[]> {
      return db.getAllFromIndex('events', 'applied', 0);
    },

    getProfile(modelId: string): Promise<ProfileVector | undefined> {
      return db.get('profiles', modelId);
    },

    /**
     * Folds already-embedded events into the profile in one transaction, so a crash leaves
     * either the old profile with the events pending or the new one with them applied.
     */
    async applyEvents(
      modelId: string,
      ids: string[],
      fold: (profile: ProfileVector | undefined, fresh: StoredEvent[]) => ProfileVector | undefined,
    ): Promise<ProfileVector | undefined> {
      const tx = db.transaction(['events', 'profiles'], 'readwrite');
      const events = tx.objectStore('events');
      const fresh: StoredEvent[] = [];
      for (const id of ids) {
        const e = await events.get(id);
        if (e && e.applied === 0) fresh.push(e);
      }
      const before = await tx.objectStore('profiles').get(modelId);
      const after = fresh.length ? fold(before, fresh) : before;
      if (after && after !== before) await tx.objectStore('profiles').put(after);
      for (const e of fresh) await events.put({ ...e, applied: 1 });
      await tx.done;
      return after;
    },

    countEvents(): Promise<number> {
      return db.count('events');
    },

    allEvents(): Promise<StoredEvent[]> {
      return db.getAllFromIndex('events', 'ts');
    },

    allProfiles(): Promise<ProfileVector[]> {
      return db.getAll('profiles');
    },

    putOutbox(entry: OutboxEntry): Promise<string> {
      return db.put('outbox', entry);
    },

    allOutbox(): Promise<OutboxEntry[]> {
      return db.getAll('outbox');
    },

    /** Removes the entry only if it is still the one that was sent (a newer one may have replaced it). */
    async ackOutbox(modelId: string, idempotencyKey: string): Promise<void> {
      const tx = db.transaction('outbox', 'readwrite');
      const current = await tx.store.get(modelId);
      if (current?.idempotencyKey === idempotencyKey) await tx.store.delete(modelId);
      await tx.done;
    },

    async getMeta(key: string): Promise<string | undefined> {
      return db.get('meta', key);
    },

    async setMeta(key: string, value: string): Promise<void> {
      await db.put('meta', value, key);
    },

    async clear(): Promise<void> {
      const tx = db.transaction(['events', 'profiles', 'outbox', 'meta'], 'readwrite');
      await Promise.all([...tx.objectStoreNames].map((n) => tx.objectStore(n).clear()));
      await tx.done;
    },

    close(): void {
      db.close();
    },
  };
}
