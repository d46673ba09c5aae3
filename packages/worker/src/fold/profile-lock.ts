// Tabs of one shop share one IndexedDB profile, each with its own worker. Every read-modify-write
// of the profile runs under one Web Lock so two tabs never fold the same events or lose an update.
const LOCK = 'portrait:profile';

export function withProfileLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  // Without Web Locks (very old browsers) the per-event `applied` flag still prevents double folds.
  if (!locks?.request) return fn();
  return locks.request(LOCK, fn) as Promise<T>;
}
