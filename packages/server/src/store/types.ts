/** The latest payload of one pseudonymous id, as stored (the raw bytes, at most a few hundred). */
export interface StoredProfile {
  pseudoId: string;
  /** The payload's own timestamp (seconds). */
  timestamp: number;
  receivedAt: number;
  /** The payload exactly as received; decoded on read. */
  payload: Uint8Array;
}

/** What an upsert did: stored, a replayed idempotency key, or older than what is stored. */
export type SaveOutcome = 'stored' | 'duplicate' | 'stale';

/** Storage behind the collector. Every method resolves only once the change is durable. */
export interface ProfileStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores the payload unless its idempotency key was seen for this id. */
  save(profile: StoredProfile, idempotencyKey: string): Promise<SaveOutcome>;
  get(pseudoId: string): Promise<StoredProfile | undefined>;
  exists(pseudoId: string): Promise<boolean>;
  /** Removes the profile and its receipts; true if there was one. */
  erase(pseudoId: string): Promise<boolean>;
  counts(): Promise<{ profiles: number; receipts: number }>;
  close(): Promise<void>;
}
