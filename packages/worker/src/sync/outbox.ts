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
import { META } from '../store/meta-keys.ts';
import type { OutboxEntry, Store } from '../store/types.ts';

/** One delivery attempt, as the page may see it: when, how many bytes, and the answer (never the bytes). */
export interface SyncReport {
  at: number;
  bytes: number;
  status: number | 'network-error';
}

type AnyStore = Store<{ modelId: string }>;

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const randomHex = (bytes: number) => toHex(crypto.getRandomValues(new Uint8Array(bytes)));

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 15 * 60_000;
export const PROFILE_PATH = '/v1/profile';

// A Retry-After beyond this is a misconfigured server, not a reason to stop syncing for days.
const RETRY_AFTER_MAX_MS = 24 * 3_600_000;

/**
 * Exponential backoff with equal jitter: at least half the exponential step, so a failing
 * collector sees a bounded number of retries in any window, and the random half keeps many
 * devices recovering at once from stampeding.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempts, 20));
  return Math.floor(step / 2 + random() * (step / 2));
}

/** A Retry-After header (delta seconds or an HTTP date) as epoch ms, or undefined when absent or unusable. */
export function retryAfterAt(header: string | null, now: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const at = /^\d+$/.test(value) ? now + Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(at)) return undefined;
  return Math.min(Math.max(at, now), now + RETRY_AFTER_MAX_MS);
}

export async function pseudonymousId(store: AnyStore): Promise<string> {
  const existing = await store.getMeta(META.pseudoId);
  if (existing) return existing;
  const id = randomHex(16);
  await store.setMeta(META.pseudoId, id);
  return id;
}

/**
 * A new pseudonymous id: the collector can no longer link what follows to what came before.
 * The old id's token goes with it; the old server row stays until erased or expired.
 */
export async function rotatePseudonymousId(store: AnyStore): Promise<string> {
  const id = randomHex(16);
  await store.setMeta(META.pseudoId, id);
  await store.setMeta(META.syncToken, '');
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

/** What one worker remembers between flushes; the sync controller owns it. */
export interface SendState {
  /** When this device last posted (epoch ms), 0 before its first; kept in meta across pages. */
  lastPostAt: number;
  /**
   * A new worker is a new page visit: whatever failed in an earlier one (offline, collector down)
   * may work now, so its first flush sends what is queued without waiting out the old backoff.
   */
  firstFlush: boolean;
}

export const freshSendState = (): SendState => ({ lastPostAt: 0, firstFlush: true });

/** When the next sync may go out: at least `minIntervalMs` after the last one was sent. */
export function nextSendAt(state: SendState, minIntervalMs: number, now: number): number {
  // A last send "in the future" means the device clock went back since: count from now, not from
  // a time that may be days away.
  return Math.max(now, Math.min(state.lastPostAt, now) + minIntervalMs);
}

// No wait we set is longer than a day (RETRY_AFTER_MAX_MS): one further away was set by a clock
// that has since gone back, and holding to it would stop syncing for as long as the jump.
const skewed = (at: number, now: number) => at - now > RETRY_AFTER_MAX_MS;

/**
 * Queues the compact vector of a profile; a newer entry replaces an unsent one (one per model)
 * and inherits its backoff: the collector is failing whichever payload is waiting.
 */
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
  const waiting = (await store.allOutbox()).find((e) => e.modelId === profile.modelId);
  const entry: OutboxEntry = {
    modelId: profile.modelId,
    body,
    idempotencyKey,
    createdAt: now,
    attempts: waiting?.attempts ?? 0,
    notBefore: Math.max(o.notBefore ?? 0, waiting?.notBefore ?? 0),
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

// `now` is when the flush started (tests pass their own clock); a slow answer arrives later.
const answeredAt = (now: number) => Math.max(now, Date.now());

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
  state: SendState,
  now: number,
  log: Logger,
  /** Ignore backoff (back online, or the page asked): the network just changed. */
  force = false,
): Promise<FlushResult> {
  const result: FlushResult = { reports: [], rotated: false };
  // The collector asked us to wait: nothing goes before then, not even a forced flush.
  const retryAt = Number((await store.getMeta(META.syncRetryAt)) ?? 0);
  if (retryAt > now && !skewed(retryAt, now)) {
    if ((await store.allOutbox()).length) result.retryAt = retryAt;
    return result;
  }
  const first = state.firstFlush;
  state.firstFlush = false;
  for (const entry of await store.allOutbox()) {
    // A new worker retries at once what an earlier visit left backed off after failures; a fresh
    // entry still waits out the minimum interval, so page after page does not send a burst.
    const due = force || (first && entry.attempts > 0);
    if (!due && entry.notBefore > now && !skewed(entry.notBefore, now)) {
      result.retryAt = Math.min(result.retryAt ?? Infinity, entry.notBefore);
      continue;
    }
    let status: SyncReport['status'];
    let serverRetryAt: number | undefined;
    state.lastPostAt = now;
    try {
      const res = await post(collectorUrl, entry.body, (await store.getMeta(META.syncToken)) || undefined);
      status = res.status;
      if (status === 429 || status === 503)
        serverRetryAt = retryAfterAt(res.headers.get('retry-after'), answeredAt(now));
      if (res.ok) {
        const { token } = (await res.json().catch(() => ({}))) as { token?: unknown };
        if (typeof token === 'string' && token) await store.setMeta(META.syncToken, token);
      }
    } catch (err) {
      status = 'network-error';
      log.debug('sync failed, kept in outbox', err);
    }
    if (typeof status === 'number' && status >= 200 && status < 300) {
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else if (status === 401 || status === 403 || status === 410) {
      // The id is known to the collector but we cannot prove it is ours (the token was lost or
      // expired), or it was erased (410): start over under a new id rather than retry forever.
      log.warn(`collector refused our id (HTTP ${status}); rotating the pseudonymous id`);
      await rotatePseudonymousId(store);
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
      result.rotated = true;
    } else if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
      // The collector will never accept these bytes: retrying would only repeat the refusal.
      log.warn(`collector refused the payload (HTTP ${status}); dropped`);
      await store.ackOutbox(entry.modelId, entry.idempotencyKey);
    } else {
      const current = (await store.allOutbox()).find((e) => e.modelId === entry.modelId);
      // The sent entry, or a newer one queued while it was in flight: either way the collector is
      // failing, so whichever waits now backs off (from when the answer came, so a slow failure
      // does not make the retry due at once).
      if (current) {
        const attempts = Math.max(current.attempts, entry.attempts + 1);
        const notBefore = Math.max(current.notBefore, answeredAt(now) + backoffMs(attempts), serverRetryAt ?? 0);
        await store.putOutbox({ ...current, attempts, notBefore });
        result.retryAt = Math.min(result.retryAt ?? Infinity, notBefore);
      }
      if (serverRetryAt !== undefined) await store.setMeta(META.syncRetryAt, String(serverRetryAt));
    }
    result.reports.push({ at: now, bytes: entry.body.length, status });
    // The collector's wait covers every entry: the rest of this flush waits too.
    if (serverRetryAt !== undefined) {
      result.retryAt = Math.max(result.retryAt ?? 0, serverRetryAt);
      break;
    }
  }
  return result;
}
