import { type Basis, encodePayload, fnv1a32, type Logger, type ProfileVector, project } from '@portrait/core';
import type { OutboxEntry, Store } from './store';

export interface SyncConfig {
  /** Collector base URL, e.g. https://collector.shop.example; no sync when absent. */
  collectorUrl?: string;
  /** Cosine distance the profile must move before a new sync is queued. */
  minDistance: number;
}

export interface SyncReport {
  at: number;
  bytes: number;
  status: number | 'network-error';
  /** The exact bytes sent, as hex: what left the device. */
  hex: string;
}

const randomHex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

export async function pseudonymousId(store: Store): Promise<string> {
  const existing = await store.getMeta('pseudoId');
  if (existing) return existing;
  const id = randomHex(16);
  await store.setMeta('pseudoId', id);
  return id;
}

/** Queues the compact vector of a profile; a newer entry replaces an unsent one. */
export async function queueSync(store: Store, basis: Basis, profile: ProfileVector, now: number): Promise<OutboxEntry> {
  const idempotencyKey = randomHex(8);
  const body = encodePayload({
    flags: 0,
    modelHash: fnv1a32(profile.modelId),
    basisVersion: basis.version,
    pseudoId: await pseudonymousId(store),
    timestamp: Math.floor(now / 1000),
    idempotencyKey,
    vectors: [project(basis, profile.vector)],
  });
  const entry: OutboxEntry = { modelId: profile.modelId, body, idempotencyKey, createdAt: now, attempts: 0 };
  await store.putOutbox(entry);
  return entry;
}

/** Sends every queued payload once; acknowledged ones leave the outbox, the rest wait for the next flush. */
export async function flushOutbox(store: Store, collectorUrl: string, log: Logger): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const entry of await store.allOutbox()) {
    const hex = Array.from(entry.body, (b) => b.toString(16).padStart(2, '0')).join('');
    let status: SyncReport['status'];
    try {
      const res = await fetch(new URL('/v1/profiles', collectorUrl), {
        method: 'POST',
        body: entry.body,
        headers: { 'content-type': 'application/octet-stream' },
        // The payload is the whole message: no cookies, no referrer.
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        keepalive: true,
      });
      status = res.status;
      if (res.ok) await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } catch (err) {
      status = 'network-error';
      log.debug('sync failed, kept in outbox', err);
    }
    if (status !== 'network-error' && status >= 200 && status < 300) {
      log.debug(`synced ${entry.body.length} bytes`);
    } else {
      await store.putOutbox({ ...entry, attempts: entry.attempts + 1 });
    }
    reports.push({ at: Date.now(), bytes: entry.body.length, status, hex });
  }
  return reports;
}
