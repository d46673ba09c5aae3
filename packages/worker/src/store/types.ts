import type { PortraitEvent } from '@portrait/core';
import type { MetaKey } from './meta-keys.ts';

/** A captured event as kept on the device; `applied` flips once it is folded into the profile. */
export interface StoredEvent extends PortraitEvent {
  applied: 0 | 1;
  /**
   * Set when applied: the event's place in the order events reached the profile. Folds from every
   * tab take the profile lock one at a time, so this is the one order that reproduces the profile.
   */
  seq?: number;
}

/** A sync waiting to be acknowledged; one per model, a newer one replaces it. */
export interface OutboxEntry {
  modelId: string;
  body: Uint8Array<ArrayBuffer>;
  idempotencyKey: string;
  createdAt: number;
  attempts: number;
  /** Epoch ms before which the entry is not retried (backoff). */
  notBefore: number;
}

/** Limits that keep the device's storage bounded. */
export interface StoreLimits {
  /** Recent events kept (applied ones beyond this are dropped oldest first). */
  maxEvents: number;
  /** Applied events older than this are dropped. */
  maxEventAgeMs: number;
  /** Cached embeddings kept, least recently used evicted first. */
  maxEmbeddings: number;
}

export const DEFAULT_LIMITS: StoreLimits = { maxEvents: 1000, maxEventAgeMs: 90 * 86_400_000, maxEmbeddings: 2000 };

/** The engine's storage, in IndexedDB or (degraded) in memory. P is the stored profile state. */
export interface Store<P extends { modelId: string }> {
  readonly kind: 'indexeddb' | 'memory';
  /** Stores events not seen before (by id) and returns those; replays are no-ops. */
  addEvents(events: PortraitEvent[], now: number): Promise<StoredEvent[]>;
  pendingEvents(): Promise<StoredEvent[]>;
  allEvents(): Promise<StoredEvent[]>;
  countEvents(): Promise<number>;
  /** Deletes events by id (forgetItem / forgetSince) and returns how many went. */
  deleteEvents(ids: string[]): Promise<number>;
  getProfile(modelId: string): Promise<P | undefined>;
  allProfiles(): Promise<P[]>;
  putProfile(profile: P): Promise<void>;
  deleteProfile(modelId: string): Promise<void>;
  /**
   * Read-modify-write of one profile and the events folded into it, atomically: after a crash
   * either the old profile stands with the events pending, or the new one with them applied.
   */
  applyEvents(
    modelId: string,
    ids: string[],
    fold: (before: P | undefined, fresh: StoredEvent[]) => P | undefined,
  ): Promise<P | undefined>;
  getEmbeddings(keys: string[], now: number): Promise<(Float32Array | undefined)[]>;
  putEmbeddings(entries: [string, Float32Array][], now: number): Promise<void>;
  putOutbox(entry: OutboxEntry): Promise<void>;
  allOutbox(): Promise<OutboxEntry[]>;
  /** Removes the entry only if it is still the one that was sent (a newer one may have replaced it). */
  ackOutbox(modelId: string, idempotencyKey: string): Promise<void>;
  getMeta(key: MetaKey): Promise<string | undefined>;
  setMeta(key: MetaKey, value: string): Promise<void>;
  /**
   * Copies events and profiles in (memory seeded from IndexedDB, or memory written back to it).
   * A profile is copied only where none is stored for its model, and then the copied events keep
   * their `applied` flags (an event pending here but applied in the copy is applied). Where one is
   * stored — another tab folded into it meanwhile — that profile stands: copied events it has
   * not seen are added pending, for the next fold to apply once.
   */
  restore(events: StoredEvent[], profiles: P[]): Promise<void>;
  clear(): Promise<void>;
  close(): void;
}
