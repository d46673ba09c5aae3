import { type Logger, type ProfileState, toErrorData } from '@portrait/core';
import { openIdbStore } from './idb-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { DEFAULT_LIMITS, type Store, type StoredEvent, type StoreLimits } from './types.ts';

export interface PersistenceOptions {
  dbName: string | undefined;
  limits: Partial<StoreLimits> | undefined;
  log: () => Logger;
  /** Runs a step in the engine's queue, so a write-back never interleaves with a fold. */
  queue: (code: string, fn: () => Promise<void>) => unknown;
  /** The last profile folded, to seed memory when IndexedDB cannot even be read any more. */
  lastProfile: () => ProfileState | undefined;
  /** Runs in the queue right after a write-back: events it left pending are folded now. */
  afterWriteBack: () => Promise<void>;
  /** Opens the durable store; IndexedDB unless a test gives its own. */
  openDurable?: (dbName: string | undefined, limits: StoreLimits) => Promise<Store<ProfileState>>;
}

const STORAGE_ERRORS = /QuotaExceeded|InvalidState|Unknown|Abort|TransactionInactive/;

/**
 * Where the engine keeps its data: IndexedDB, or memory when IndexedDB is missing, blocked by an
 * old tab, or fails mid-session (quota, a reset). In memory it retries IndexedDB with backoff and
 * writes back what it kept meanwhile.
 */
export function createPersistence(o: PersistenceOptions) {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  const openDurable = o.openDurable ?? openIdbStore<ProfileState>;
  let store: Store<ProfileState> | undefined;
  let reason: string | undefined;
  let attempts = 0;

  function toMemory(
    code: string,
    err: unknown,
    seed: { events: StoredEvent[]; profiles: ProfileState[] },
  ): Store<ProfileState> {
    const e = toErrorData(code, err);
    // A DOMException's name is the cause (QuotaExceededError, AbortError); its message may be empty.
    const name = (err as { name?: unknown } | undefined)?.name;
    reason = `${e.code}: ${[typeof name === 'string' && name !== 'Error' ? name : '', e.message].filter(Boolean).join(': ')}`;
    o.log().warn('IndexedDB unavailable, keeping the profile in memory', e.message);
    const mem = createMemoryStore<ProfileState>(limits);
    void mem.restore(seed.events, seed.profiles);
    scheduleRetry();
    return mem;
  }

  function scheduleRetry() {
    attempts++;
    const delay = Math.min(10 * 60_000, 5_000 * 2 ** Math.min(attempts - 1, 7));
    setTimeout(
      () =>
        o.queue('worker/persistence-retry', async () => {
          if (store?.kind !== 'memory') return;
          const mem = store;
          const idb = await openDurable(o.dbName, limits).catch(() => undefined);
          if (!idb) return scheduleRetry();
          try {
            await idb.restore(await mem.allEvents(), await mem.allProfiles());
          } catch {
            idb.close();
            return scheduleRetry();
          }
          store = idb;
          reason = undefined;
          attempts = 0;
          o.log().info('IndexedDB is back: the in-memory profile and events were written to it');
          await o.afterWriteBack();
        }),
      delay,
    );
  }

  return {
    get store(): Store<ProfileState> | undefined {
      return store;
    },
    /** Why the engine is not on IndexedDB, or undefined when it is. */
    get reason(): string | undefined {
      return reason;
    },

    async open(): Promise<Store<ProfileState>> {
      if (store) return store;
      try {
        store = await openDurable(o.dbName, limits);
        reason = undefined;
      } catch (err) {
        store = toMemory('store/unavailable', err, { events: [], profiles: [] });
      }
      return store;
    },

    /** Runs a storage step; a storage failure moves the engine to memory and runs it there once more. */
    async run<T>(step: (s: Store<ProfileState>) => Promise<T>): Promise<T> {
      const s = store;
      if (!s) throw { code: 'worker/not-initialised', message: 'call init() first' };
      try {
        return await step(s);
      } catch (err) {
        const name = (err as { name?: unknown } | undefined)?.name;
        if (s.kind !== 'indexeddb' || typeof name !== 'string' || !STORAGE_ERRORS.test(name)) throw err;
        // A closed connection cannot even be read: then the last folded profile is the seed.
        const last = o.lastProfile();
        const profiles = await s.allProfiles().catch(() => (last ? [last] : []));
        // Events still pending in IndexedDB (a fold that aborted) are folded in memory meanwhile.
        const events = await s.allEvents().catch(() => []);
        s.close();
        const seed = { events, profiles };
        store = toMemory('store/failed', err, seed);
        return step(store);
      }
    },
  };
}

export type Persistence = ReturnType<typeof createPersistence>;
