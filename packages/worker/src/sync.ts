import { type Basis, encodePayload, fnv1a32, type Logger, project } from '@portrait/core';
import type { OutboxEntry, Store } from './store/types';

/** One delivery attempt, as the page may show it: the exact bytes that left the device. */
export interface SyncReport {
  at: number;
  bytes: number;
  status: number | 'network-error';
  hex: string;
}

type AnyStore = Store<{ modelId: string }>;

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 15 * 60_000;

/** Exponential backoff with full jitter, so many devices recovering at once do not stampede. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 20)));
}

export async function pseudonymousId(store: AnyStore): Promise<string> {
  const existing = await store.getMeta('pseudoId');
  if (existing) return existing;
  const id = randomHex(16);
  await store.setMeta('pseudoId', id);
  return id;
}

/** Queues the compact vector of a profile; a newer entry replaces an unsent one. */
export async function queueSync(
  store: AnyStore,
  basis: Basis,
  modelId: string,
  vectors: Float32Array[],
  now: number,
): Promise<OutboxEntry> {
  const idempotencyKey = randomHex(8);
  const body = encodePayload({
    flags: 0,
    modelHash: fnv1a32(modelId),
    basisVersion: basis.version,
    pseudoId: await pseudonymousId(store),
    timestamp: Math.floor(now / 1000),
    idempotencyKey,
    vectors: vectors.map((v) => project(basis, v)),
  });
  const entry: OutboxEntry = { modelId, body, idempotencyKey, createdAt: now, attempts: 0, notBefore: 0 };
  await store.putOutbox(entry);
  return entry;
}

const post = (collectorUrl: string, body: Uint8Array<ArrayBuffer>) =>
  fetch(new URL('/v1/profiles', collectorUrl), {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/octet-stream' },
    // The payload is the whole message: no cookies, no referrer.
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    keepalive: true,
  });

/** Sends the queued payloads that are due; acknowledged ones leave the outbox, the rest back off. */
export async function flushOutbox(
  store: AnyStore,
  collectorUrl: string,
  now: number,
  log: Logger,
): Promise<SyncReport[]> {
  const reports: SyncReport[] = [];
  for (const entry of await store.allOutbox()) {
    if (entry.notBefore > now) continue;
    let status: SyncReport['status'];
    try {
      const res = await post(collectorUrl, entry.body);
      status = res.status;
    } catch (err) {
      status = 'network-error';
      log.debug('sync failed, kept in outbox', err);
    }
    if (typeof status === 'number' && status >= 200 && status < 300) {
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // The collector will never accept these bytes: retrying would only repeat the refusal.
      log.warn(`collector refused the payload (HTTP ${status}); dropped`);
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else {
      const attempts = entry.attempts + 1;
      const current = (await store.allOutbox()).find((e) => e.modelId === entry.modelId);
      // Only back off the entry that was sent; a newer one queued meanwhile goes out fresh.
      if (current?.idempotencyKey === entry.idempotencyKey) {
        await store.putOutbox({ ...entry, attempts, notBefore: now + backoffMs(attempts) });
      }
    }
    reports.push({ at: now, bytes: entry.body.length, status, hex: toHex(entry.body) });
  }
  return reports;
}

/** Asks the collector to erase this device's profile (the shopper's `forget`). */
export async function requestErasure(collectorUrl: string, pseudoId: string, log: Logger): Promise<boolean> {
  try {
    const res = await fetch(new URL(`/v1/profiles/${pseudoId}`, collectorUrl), {
      method: 'DELETE',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      keepalive: true,
    });
    return res.ok;
  } catch (err) {
    log.warn('erase request failed', err);
    return false;
  }
}
