import {
  type Basis,
  compactVectors,
  encodePayload,
  fnv1a32,
  type LocalDpOptions,
  type Logger,
  PAYLOAD_FLAGS,
  PAYLOAD_MAX_SEGMENTS,
  type PayloadLayout,
  type ProfileState,
  privatize,
  RISK_UNKNOWN,
} from '@portrait/core';
import type { OutboxEntry, Store } from './store/types';

/** One delivery attempt, as the page may show it: the exact bytes that left the device. */
export interface SyncReport {
  at: number;
  bytes: number;
  status: number | 'network-error';
  hex: string;
}

/** What the page hands to `navigator.sendBeacon(url, body)` on pagehide. */
export interface BeaconRequest {
  url: string;
  body: Uint8Array<ArrayBuffer>;
  idempotencyKey: string;
}

type AnyStore = Store<{ modelId: string }>;

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 15 * 60_000;
export const PROFILE_PATH = '/v1/profile';

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

/**
 * A new pseudonymous id: the collector can no longer link what follows to what came before.
 * The old id's token goes with it; the old server row stays until erased or expired.
 */
export async function rotatePseudonymousId(store: AnyStore): Promise<string> {
  const id = randomHex(16);
  await store.setMeta('pseudoId', id);
  await store.setMeta('syncToken', '');
  return id;
}

export interface SyncOptions {
  layout: PayloadLayout;
  /** Local differential privacy; undefined = off (the default). */
  dp?: LocalDpOptions;
  /** The risk byte (0-254, 255 unknown). */
  risk?: number;
  /** Segments-only mode: these segment ids are sent instead of any vector. */
  segments?: number[];
  /** Not sent before this time (epoch ms): syncs closer together than the minimum interval coalesce. */
  notBefore?: number;
}

let lastPostAt = 0;

/** When the next sync may go out: at least `minIntervalMs` after the last one was sent. */
export function nextSendAt(minIntervalMs: number, now: number): number {
  return Math.max(now, lastPostAt + minIntervalMs);
}

/** Queues the compact vector of a profile; a newer entry replaces an unsent one (one per model). */
export async function queueSync(
  store: AnyStore,
  basis: Basis,
  profile: ProfileState,
  now: number,
  o: SyncOptions,
): Promise<OutboxEntry> {
  const idempotencyKey = randomHex(8);
  const segmentsOnly = o.segments !== undefined;
  const compact = segmentsOnly ? [] : compactVectors(profile, basis, o.layout);
  const body = encodePayload({
    flags: segmentsOnly ? PAYLOAD_FLAGS.segments : o.dp ? PAYLOAD_FLAGS.noised : 0,
    modelHash: fnv1a32(profile.modelId),
    basisVersion: basis.version,
    pseudoId: await pseudonymousId(store),
    timestamp: Math.floor(now / 1000),
    idempotencyKey,
    risk: o.risk ?? RISK_UNKNOWN,
    vectors: o.dp && !segmentsOnly ? privatize(compact, o.dp) : compact,
    segments: o.segments?.slice(0, PAYLOAD_MAX_SEGMENTS) ?? [],
  });
  const entry: OutboxEntry = {
    modelId: profile.modelId,
    body,
    idempotencyKey,
    createdAt: now,
    attempts: 0,
    notBefore: o.notBefore ?? 0,
  };
  await store.putOutbox(entry);
  return entry;
}

async function post(collectorUrl: string, body: Uint8Array<ArrayBuffer>, token: string | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(new URL(PROFILE_PATH, collectorUrl), {
    method: 'POST',
    body,
    headers,
    // The payload is the whole message: no cookies, no referrer.
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    keepalive: true,
  });
}

/** The pending sync as a beacon for the page to send on pagehide (workers have no sendBeacon). */
export async function pendingBeacon(store: AnyStore, collectorUrl: string): Promise<BeaconRequest | undefined> {
  const entry = (await store.allOutbox())[0];
  if (!entry) return undefined;
  const url = new URL(PROFILE_PATH, collectorUrl);
  // sendBeacon cannot set headers: the ownership token rides in the query string instead.
  const token = await store.getMeta('syncToken');
  if (token) url.searchParams.set('token', token);
  return { url: url.href, body: entry.body, idempotencyKey: entry.idempotencyKey };
}

/** What a flush did: per-entry reports, and whether the collector refused our id (rotated). */
export interface FlushResult {
  reports: SyncReport[];
  rotated: boolean;
  /** Earliest time a backed-off entry is due again, if any is left. */
  retryAt?: number;
}

/** Sends the queued payloads that are due; acknowledged ones leave the outbox, the rest back off. */
export async function flushOutbox(
  store: AnyStore,
  collectorUrl: string,
  now: number,
  log: Logger,
  /** Ignore backoff (back online, or the page asked): the network just changed. */
  force = false,
): Promise<FlushResult> {
  const result: FlushResult = { reports: [], rotated: false };
  for (const entry of await store.allOutbox()) {
    if (!force && entry.notBefore > now) {
      result.retryAt = Math.min(result.retryAt ?? Infinity, entry.notBefore);
      continue;
    }
    let status: SyncReport['status'];
    lastPostAt = now;
    try {
      const res = await post(collectorUrl, entry.body, (await store.getMeta('syncToken')) || undefined);
      status = res.status;
      if (res.ok) {
        const { token } = (await res.json().catch(() => ({}))) as { token?: unknown };
        if (typeof token === 'string' && token) await store.setMeta('syncToken', token);
      }
    } catch (err) {
      status = 'network-error';
      log.debug('sync failed, kept in outbox', err);
    }
    if (typeof status === 'number' && status >= 200 && status < 300) {
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else if (status === 401 || status === 403) {
      // The id is known to the collector but we cannot prove it is ours (the token was lost,
      // e.g. a first sync by beacon): start over under a new id rather than retry forever.
      log.warn(`collector refused our id (HTTP ${status}); rotating the pseudonymous id`);
      await rotatePseudonymousId(store);
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
      result.rotated = true;
    } else if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // The collector will never accept these bytes: retrying would only repeat the refusal.
      log.warn(`collector refused the payload (HTTP ${status}); dropped`);
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else {
      const attempts = entry.attempts + 1;
      const current = (await store.allOutbox()).find((e) => e.modelId === entry.modelId);
      // Only back off the entry that was sent; a newer one queued meanwhile goes out fresh.
      if (current?.idempotencyKey === entry.idempotencyKey) {
        const notBefore = now + backoffMs(attempts);
        await store.putOutbox({ ...entry, attempts, notBefore });
        result.retryAt = Math.min(result.retryAt ?? Infinity, notBefore);
      }
    }
    result.reports.push({ at: now, bytes: entry.body.length, status, hex: toHex(entry.body) });
  }
  return result;
}

/** Asks the collector to erase this device's profile (the shopper's `forget`), proving ownership. */
export async function requestErasure(
  collectorUrl: string,
  pseudoId: string,
  token: string | undefined,
  log: Logger,
): Promise<boolean> {
  if (!token) return false;
  try {
    const res = await fetch(new URL(`${PROFILE_PATH}/${pseudoId}`, collectorUrl), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
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
