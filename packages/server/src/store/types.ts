import type { AggregateCounter } from '../merchant.ts';

/** Sums of the aggregate counters devices add to; a counter nobody reported is absent. */
export type AggregateTotals = Partial<Record<AggregateCounter, number>>;

/** The latest payload of one pseudonymous id, as stored (the raw bytes, at most a few hundred). */
export interface StoredProfile {
  pseudoId: string;
  /** The payload's own timestamp (seconds). */
  timestamp: number;
  receivedAt: number;
  /** The payload exactly as received; decoded on read. */
  payload: Uint8Array;
}

/**
 * What an upsert did: stored, a replayed idempotency key, older than what is stored, refused
 * because the id already exists and the caller showed no token (`requireNew`), or refused
 * because the id was erased (its tombstone stands until the retention sweep removes it).
 */
export type SaveOutcome = 'stored' | 'duplicate' | 'stale' | 'taken' | 'erased';

/** Storage behind the collector. Every method resolves only once the change is durable. */
export interface ProfileStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores the payload unless its idempotency key was seen for this id. With `requireNew`
   * (no ownership token shown) it stores only if the id has no profile yet: check and write
   * are one atomic step, one round trip.
   */
  save(profile: StoredProfile, idempotencyKey: string, requireNew: boolean): Promise<SaveOutcome>;
  /** The live profile (never a tombstone). */
  get(pseudoId: string): Promise<StoredProfile | undefined>;
  exists(pseudoId: string): Promise<boolean>;
  /**
   * Replaces the profile by a tombstone (no payload) and removes its receipts; true if there
   * was a live profile. Erasing an erased id only renews its tombstone.
   */
  erase(pseudoId: string): Promise<boolean>;
  /** Deletes profiles, tombstones and receipts last written before `cutoff` (ms). */
  sweep(cutoff: number): Promise<{ profiles: number; receipts: number }>;
  /** Live profiles (tombstones not counted) and receipts. */
  counts(): Promise<{ profiles: number; receipts: number }>;
  /** Payloads of live profiles, at most `limit` (the merchant view's audience counts). */
  livePayloads(limit: number): Promise<Uint8Array[]>;
  /** Erased ids whose tombstone waits for the retention sweep. */
  tombstones(): Promise<number>;
  /**
   * Adds one aggregate report to the stored sums, all its counters in one atomic step, so
   * concurrent reports (from this process or another collector on the same database) all count.
   * Only the sums are kept: no id, no address, no time.
   */
  addAggregates(report: AggregateTotals): Promise<void>;
  /** The stored sums of the aggregate counters. */
  aggregates(): Promise<AggregateTotals>;
  close(): Promise<void>;
}
