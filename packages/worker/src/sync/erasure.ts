import type { Logger } from '@portrait/core';
import { META } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';
import { backoffMs, PROFILE_PATH, retryAfterAt } from './outbox.ts';

/** An erasure the collector has not confirmed: retried with backoff until it answers. */
export interface PendingErasure {
  id: string;
  token: string;
  attempts: number;
  /** Epoch ms before which it is not retried. */
  notBefore: number;
}

type AnyStore = Store<{ modelId: string }>;

export async function pendingErasures(store: AnyStore): Promise<PendingErasure[]> {
  try {
    const list = JSON.parse((await store.getMeta(META.pendingErasures)) ?? '[]') as unknown;
    return Array.isArray(list)
      ? list.filter((e): e is PendingErasure => typeof e?.id === 'string' && typeof e?.token === 'string')
      : [];
  } catch {
    return [];
  }
}

export async function savePendingErasures(store: AnyStore, list: PendingErasure[]): Promise<void> {
  await store.setMeta(META.pendingErasures, JSON.stringify(list));
}

async function erase(url: string, e: PendingErasure): Promise<Response> {
  return fetch(new URL(`${PROFILE_PATH}/${e.id}`, url), {
    method: 'DELETE',
    headers: { authorization: `Bearer ${e.token}` },
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    keepalive: true,
  });
}

/**
 * Sends the erasures that are due; confirmed ones (2xx, or 404: nothing stored) leave the list,
 * the rest back off. A token the collector refuses (401/403) can never succeed: that erasure is
 * dropped with a warning, and the row goes with the collector's retention period.
 */
export async function sendErasures(
  store: AnyStore,
  collectorUrl: string,
  now: number,
  log: Logger,
  force = false,
): Promise<{ left: number; retryAt?: number }> {
  const list = await pendingErasures(store);
  if (list.length === 0) return { left: 0 };
  const left: PendingErasure[] = [];
  for (const e of list) {
    if (!force && e.notBefore > now) {
      left.push(e);
      continue;
    }
    let status: number | 'network-error';
    let serverRetryAt: number | undefined;
    try {
      const res = await erase(collectorUrl, e);
      status = res.status;
      serverRetryAt = retryAfterAt(res.headers.get('retry-after'), Math.max(now, Date.now()));
    } catch (err) {
      status = 'network-error';
      log.debug('erasure not delivered, will retry', err);
    }
    if (status === 404 || (typeof status === 'number' && status >= 200 && status < 300)) continue;
    if (status === 401 || status === 403) {
      log.warn(`collector refused the erasure token (HTTP ${status}); the row expires with its retention`);
      continue;
    }
    const attempts = e.attempts + 1;
    left.push({ ...e, attempts, notBefore: Math.max(Date.now() + backoffMs(attempts), serverRetryAt ?? 0) });
  }
  await savePendingErasures(store, left);
  const retryAt = left.length ? Math.min(...left.map((e) => e.notBefore)) : undefined;
  return retryAt === undefined ? { left: left.length } : { left: left.length, retryAt };
}
