import { type DpBudget, dpBudget } from '@portrait/core';
import { META } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';
import { rotatePseudonymousId } from './outbox.ts';

type AnyStore = Store<{ modelId: string }>;

const DAY_MS = 86_400_000;

/** The privacy epoch an id belongs to, and the payloads it released in it. */
interface EpochState {
  epoch: number;
  releases: number;
  lastAt: number;
}

async function read(store: AnyStore): Promise<EpochState | undefined> {
  try {
    const s = JSON.parse((await store.getMeta(META.syncEpoch)) ?? 'null') as EpochState | null;
    return s && Number.isFinite(s.epoch) && Number.isFinite(s.releases) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** UTC-aligned, so every device rotates at once and a new id cannot be paired with the one that just went quiet. */
export const epochOf = (now: number, epochDays: number) => Math.floor(now / (epochDays * DAY_MS));

/** The budget a config asks for: undefined when DP is off; throws a typed error when it cannot hold. */
export function configuredBudget(dp: Partial<DpBudget> | undefined): DpBudget | undefined {
  if (!dp) return undefined;
  const b = dpBudget(dp);
  if (!b.ok) throw { code: 'worker/bad-config', message: `dp: ${b.reason}` };
  return b.budget;
}

/**
 * Moves the device into the current epoch: a new epoch means a new random id (the old id's token
 * goes with it). Returns whether it rotated.
 */
export async function enterEpoch(store: AnyStore, now: number, epochDays: number): Promise<boolean> {
  const epoch = epochOf(now, epochDays);
  const state = await read(store);
  if (state?.epoch === epoch) return false;
  // The first epoch a device sees keeps the id it has (a fresh device just made it).
  if (state) {
    await rotatePseudonymousId(store);
    // Queued payloads carry the old id: sending them now would pair it with the new one.
    for (const e of await store.allOutbox()) await store.ackOutbox(e.modelId, e.idempotencyKey);
  }
  await store.setMeta(META.syncEpoch, JSON.stringify({ epoch, releases: 0, lastAt: 0 } satisfies EpochState));
  return state !== undefined;
}

/**
 * Whether this epoch's budget allows another payload now: at most `releases` per epoch, spaced
 * at least epoch / releases apart so a busy session cannot spend the week's budget in an hour.
 */
export async function mayRelease(store: AnyStore, b: DpBudget, now: number, epochDays: number): Promise<boolean> {
  const state = await read(store);
  if (!state || state.releases >= b.releases) return false;
  return state.releases === 0 || now - state.lastAt >= (epochDays * DAY_MS) / b.releases;
}

export async function spendRelease(store: AnyStore, now: number): Promise<void> {
  const state = await read(store);
  if (!state) return;
  await store.setMeta(META.syncEpoch, JSON.stringify({ ...state, releases: state.releases + 1, lastAt: now }));
}
