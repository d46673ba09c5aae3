import type { PortraitEvent } from '@portrait/core';
import { restoredEvent } from './restore-rule.ts';
import { DEFAULT_LIMITS, type OutboxEntry, type Store, type StoredEvent, type StoreLimits } from './types.ts';

/**
 * The degraded store when IndexedDB is missing, blocked or full: same contract, kept in memory
 * for this worker's life, and copied into IndexedDB once it can be opened again.
 */
export function createMemoryStore<P extends { modelId: string }>(limits: StoreLimits = DEFAULT_LIMITS): Store<P> {
  const events = new Map<string, StoredEvent>();
  const profiles = new Map<string, P>();
  const embeddings = new Map<string, Float32Array>();
  const outbox = new Map<string, OutboxEntry>();
  const meta = new Map<string, string>();
  // The order events reached the profile (see StoredEvent.seq).
  let seq = 0;
  const byTs = () => [...events.values()].sort((a, b) => a.ts - b.ts);

  return {
    kind: 'memory',
    async addEvents(list: PortraitEvent[], now: number) {
      const added: StoredEvent[] = [];
      for (const e of list) {
        if (events.has(e.id)) continue;
        const stored: StoredEvent = { ...e, applied: 0 };
        events.set(e.id, stored);
        added.push(stored);
      }
      let excess = events.size - limits.maxEvents;
      for (const e of byTs()) {
        if (e.applied === 0) continue;
        if (excess <= 0 && now - e.ts <= limits.maxEventAgeMs) break;
        events.delete(e.id);
        excess--;
      }
      return added;
    },
    pendingEvents: async () => byTs().filter((e) => e.applied === 0),
    allEvents: async () => byTs(),
    countEvents: async () => events.size,
    async deleteEvents(ids) {
      return ids.filter((id) => events.delete(id)).length;
    },
    getProfile: async (modelId) => profiles.get(modelId),
    allProfiles: async () => [...profiles.values()],
    async putProfile(p) {
      profiles.set(p.modelId, p);
    },
    async deleteProfile(modelId) {
      profiles.delete(modelId);
    },
    async applyEvents(modelId, ids, fold) {
      const fresh = ids.map((id) => events.get(id)).filter((e): e is StoredEvent => e?.applied === 0);
      const before = profiles.get(modelId);
      const after = fresh.length ? fold(before, fresh) : before;
      if (after && after !== before) profiles.set(modelId, after);
      for (const e of fresh) events.set(e.id, { ...e, applied: 1, seq: seq++ });
      return after;
    },
    async getEmbeddings(keys) {
      return keys.map((k) => {
        const v = embeddings.get(k);
        // Re-inserting moves the key to the end of the Map's order: a cheap LRU.
        if (v) {
          embeddings.delete(k);
          embeddings.set(k, v);
        }
        return v;
      });
    },
    async putEmbeddings(entries) {
      for (const [k, v] of entries) {
        embeddings.delete(k);
        embeddings.set(k, v);
      }
      for (const k of embeddings.keys()) {
        if (embeddings.size <= limits.maxEmbeddings) break;
        embeddings.delete(k);
      }
    },
    async putOutbox(entry) {
      outbox.set(entry.modelId, entry);
    },
    allOutbox: async () => [...outbox.values()],
    async ackOutbox(modelId, key) {
      if (outbox.get(modelId)?.idempotencyKey === key) outbox.delete(modelId);
    },
    getMeta: async (key) => meta.get(key),
    async setMeta(key, value) {
      meta.set(key, value);
    },
    async restore(list, profs) {
      let kept = false;
      for (const p of profs) {
        if (profiles.has(p.modelId)) kept = true;
        else profiles.set(p.modelId, p);
      }
      for (const e of list) {
        const write = restoredEvent(e, events.get(e.id), kept);
        if (write) events.set(e.id, write);
        // Events folded here later continue the order the restored ones reached the profile in.
        if (write?.seq !== undefined) seq = Math.max(seq, write.seq + 1);
      }
    },
    async clear() {
      for (const m of [events, profiles, embeddings, outbox, meta]) m.clear();
    },
    close() {},
  };
}
