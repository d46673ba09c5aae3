import type { PortraitEvent } from '@portrait/core';
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { restoredEvent } from './restore-rule.ts';
import { DEFAULT_LIMITS, type OutboxEntry, type Store, type StoredEvent, type StoreLimits } from './types.ts';

interface EmbeddingEntry {
  vector: Float32Array;
  usedAt: number;
}

interface PortraitDB<P> extends DBSchema {
  events: { key: string; value: StoredEvent; indexes: { ts: number; applied: number } };
  profiles: { key: string; value: P };
  embeddings: { key: string; value: EmbeddingEntry; indexes: { usedAt: number } };
  outbox: { key: string; value: OutboxEntry };
  meta: { key: string; value: string };
}

export const DB_NAME = 'portrait';
// Committed once the OS has the data: survives a crashed tab or browser, which is what the queue
// is for, without waiting on a disk flush per event (only a power cut could lose the last writes).
const RELAXED = { durability: 'relaxed' } as const;
// Trimming the ring buffer costs a count and a cursor walk; doing it every few dozen events is enough.
const TRIM_EVERY = 50;
// A cached embedding's last-use time only needs to be roughly right for LRU eviction.
const TOUCH_AFTER_MS = 10 * 60_000;
export const DB_VERSION = 2;

/**
 * Opens (and migrates) the database. Rejects with a coded error if IndexedDB is missing, or if an
 * old tab holds an earlier version open for longer than `blockedTimeoutMs`.
 */
export async function openIdbStore<P extends { modelId: string }>(
  name = DB_NAME,
  limits: StoreLimits = DEFAULT_LIMITS,
  blockedTimeoutMs = 3000,
): Promise<Store<P>> {
  if (typeof indexedDB === 'undefined') throw { code: 'store/unavailable', message: 'IndexedDB is not available' };
  let onBlocked: () => void = () => {};
  const blocked = new Promise<never>((_, reject) => {
    onBlocked = () =>
      setTimeout(
        () => reject({ code: 'store/blocked', message: 'another tab holds an older version open' }),
        blockedTimeoutMs,
      );
  });
  const opening = openDB<PortraitDB<P>>(name, DB_VERSION, {
    blocked: () => onBlocked(),
    upgrade(db, oldVersion, _newVersion, tx) {
      // Each step takes the schema from one version to the next; a fresh install runs them all.
      if (oldVersion < 1) {
        const events = db.createObjectStore('events', { keyPath: 'id' });
        events.createIndex('ts', 'ts');
        // Booleans are not valid IndexedDB keys, so `applied` is 0/1.
        events.createIndex('applied', 'applied');
        db.createObjectStore('profiles', { keyPath: 'modelId' });
        db.createObjectStore('outbox', { keyPath: 'modelId' });
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        db.createObjectStore('embeddings').createIndex('usedAt', 'usedAt');
        // Version 1 profiles had one vector; the events are kept, so mark them pending and the
        // engine rebuilds the multi-vector profile from them.
        if (oldVersion >= 1) {
          void tx.objectStore('profiles').clear();
          void tx.objectStore('outbox').clear();
          void (async () => {
            let cursor = await tx.objectStore('events').openCursor();
            while (cursor) {
              await cursor.update({ ...cursor.value, applied: 0 });
              cursor = await cursor.continue();
            }
          })();
        }
      }
    },
  });
  const db: IDBPDatabase<PortraitDB<P>> = await Promise.race([opening, blocked]).catch((err: unknown) => {
    // Given up on: if the old tab lets go later, the open still completes; close that connection
    // rather than leave it holding the database (the engine reopens on its own retry).
    opening.then((late) => late.close()).catch(() => undefined);
    throw err;
  });
  // A newer tab upgrading the schema asks us to let go; closing lets its upgrade run.
  db.addEventListener('versionchange', () => db.close());

  let sinceTrim = TRIM_EVERY;
  async function trimEvents(now: number) {
    const tx = db.transaction('events', 'readwrite', RELAXED);
    const total = await tx.store.count();
    let excess = total - limits.maxEvents;
    let cursor = await tx.store.index('ts').openCursor();
    while (cursor) {
      const e = cursor.value;
      const old = now - e.ts > limits.maxEventAgeMs;
      if (!old && excess <= 0) break;
      // Pending events are never dropped: they have not reached the profile yet.
      if (e.applied === 1) {
        await cursor.delete();
        excess--;
      }
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  return {
    kind: 'indexeddb',

    async addEvents(events: PortraitEvent[], now: number) {
      const tx = db.transaction('events', 'readwrite', RELAXED);
      // Requests are issued together and run in order; awaiting each would add a round trip apiece.
      const seen = await Promise.all(events.map((e) => tx.store.getKey(e.id)));
      const ids = new Set<string>();
      const added: StoredEvent[] = [];
      events.forEach((e, i) => {
        if (seen[i] !== undefined || ids.has(e.id)) return;
        ids.add(e.id);
        added.push({ ...e, applied: 0 });
      });
      await Promise.all([...added.map((e) => tx.store.put(e)), tx.done]);
      sinceTrim += added.length;
      if (sinceTrim >= TRIM_EVERY) {
        sinceTrim = 0;
        await trimEvents(now);
      }
      return added;
    },

    pendingEvents: () => db.getAllFromIndex('events', 'applied', 0),
    allEvents: () => db.getAllFromIndex('events', 'ts'),
    countEvents: () => db.count('events'),

    async deleteEvents(ids) {
      const tx = db.transaction('events', 'readwrite', RELAXED);
      let n = 0;
      for (const id of ids) {
        if (await tx.store.getKey(id)) {
          await tx.store.delete(id);
          n++;
        }
      }
      await tx.done;
      return n;
    },

    getProfile: (modelId) => db.get('profiles', modelId),
    allProfiles: () => db.getAll('profiles'),
    async putProfile(profile) {
      await db.put('profiles', profile);
    },
    async deleteProfile(modelId) {
      await db.delete('profiles', modelId);
    },

    async applyEvents(modelId, ids, fold) {
      const tx = db.transaction(['events', 'profiles', 'meta'], 'readwrite', RELAXED);
      const events = tx.objectStore('events');
      const [found, before, lastSeq] = await Promise.all([
        Promise.all(ids.map((id) => events.get(id))),
        tx.objectStore('profiles').get(modelId),
        tx.objectStore('meta').get('appliedSeq'),
      ]);
      const fresh = found.filter((e): e is StoredEvent => e?.applied === 0);
      const after = fresh.length ? fold(before, fresh) : before;
      // `fold` takes `fresh` in this order, so the numbering is the order the profile saw them.
      const seq = Number(lastSeq ?? 0);
      const writes: Promise<unknown>[] = fresh.map((e, i) => events.put({ ...e, applied: 1, seq: seq + i }));
      if (fresh.length) writes.push(tx.objectStore('meta').put(String(seq + fresh.length), 'appliedSeq'));
      if (after && after !== before) writes.push(tx.objectStore('profiles').put(after));
      await Promise.all([...writes, tx.done]);
      return after;
    },

    async getEmbeddings(keys, now) {
      const read = db.transaction('embeddings');
      const hits = await Promise.all(keys.map((k) => read.store.get(k)));
      await read.done;
      const stale = keys.flatMap((k, i) => {
        const h = hits[i];
        return h !== undefined && now - h.usedAt > TOUCH_AFTER_MS ? [[k, h] as const] : [];
      });
      if (stale.length) {
        const tx = db.transaction('embeddings', 'readwrite', RELAXED);
        await Promise.all([...stale.map(([k, h]) => tx.store.put({ vector: h.vector, usedAt: now }, k)), tx.done]);
      }
      return hits.map((h) => h?.vector);
    },

    async putEmbeddings(entries, now) {
      const tx = db.transaction('embeddings', 'readwrite', RELAXED);
      for (const [key, vector] of entries) await tx.store.put({ vector, usedAt: now }, key);
      let excess = (await tx.store.count()) - limits.maxEmbeddings;
      let cursor = excess > 0 ? await tx.store.index('usedAt').openCursor() : null;
      while (cursor && excess > 0) {
        await cursor.delete();
        excess--;
        cursor = await cursor.continue();
      }
      await tx.done;
    },

    async putOutbox(entry) {
      await db.put('outbox', entry);
    },
    allOutbox: () => db.getAll('outbox'),
    async ackOutbox(modelId, idempotencyKey) {
      const tx = db.transaction('outbox', 'readwrite', RELAXED);
      const current = await tx.store.get(modelId);
      if (current?.idempotencyKey === idempotencyKey) await tx.store.delete(modelId);
      await tx.done;
    },

    getMeta: (key) => db.get('meta', key),
    async setMeta(key, value) {
      await db.put('meta', value, key);
    },

    async restore(events, profiles) {
      const tx = db.transaction(['events', 'profiles', 'meta'], 'readwrite', RELAXED);
      let next = Number((await tx.objectStore('meta').get('appliedSeq')) ?? 0);
      let kept = false;
      for (const p of profiles) {
        if (await tx.objectStore('profiles').get(p.modelId)) kept = true;
        else await tx.objectStore('profiles').put(p);
      }
      for (const e of events) {
        const write = restoredEvent(e, await tx.objectStore('events').get(e.id), kept);
        if (write) await tx.objectStore('events').put(write);
        if (write?.seq !== undefined) next = Math.max(next, write.seq + 1);
      }
      // Folds after the restore number on from the restored events.
      await tx.objectStore('meta').put(String(next), 'appliedSeq');
      await tx.done;
    },

    async clear() {
      const tx = db.transaction(['events', 'profiles', 'embeddings', 'outbox', 'meta'], 'readwrite', RELAXED);
      await Promise.all([...tx.objectStoreNames].map((n) => tx.objectStore(n).clear()));
      await tx.done;
    },

    close: () => db.close(),
  };
}
