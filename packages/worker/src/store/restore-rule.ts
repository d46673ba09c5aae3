import type { StoredEvent } from './types.ts';

/**
 * What a restore writes for one copied event, given the record already stored under its id and
 * whether the store keeps its own profile (see Store.restore). Undefined: keep the stored record.
 */
export function restoredEvent(
  copied: StoredEvent,
  stored: StoredEvent | undefined,
  storedProfileKept: boolean,
): StoredEvent | undefined {
  if (storedProfileKept) {
    if (stored) return undefined;
    // The kept profile never saw it: pending, so the next fold adds it there exactly once.
    const { seq: _seq, ...event } = copied;
    return { ...event, applied: 0 };
  }
  // The copied profile replaces the stored one: it reflects the copied event if that was applied.
  return !stored || (stored.applied === 0 && copied.applied === 1) ? copied : undefined;
}
