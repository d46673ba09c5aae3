/**
 * Retries of the outbox without the page's help: a timer for the next backed-off entry and the
 * worker's own `online` event. The sync controller owns one.
 */
export function createFlushScheduler(flush: () => unknown) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt = Number.POSITIVE_INFINITY;
  let onlineHooked = false;

  return {
    /** Flushes whenever the worker comes back online (registered once). */
    hookOnline(): void {
      if (onlineHooked || typeof self === 'undefined' || !('addEventListener' in self)) return;
      onlineHooked = true;
      self.addEventListener('online', () => void flush());
    },

    /** Flushes at `at` (epoch ms), unless an earlier run is already scheduled. */
    at(at: number | undefined, now = Date.now()): void {
      if (at === undefined || at >= dueAt) return;
      clearTimeout(timer);
      dueAt = at;
      timer = setTimeout(
        () => {
          dueAt = Number.POSITIVE_INFINITY;
          void flush();
        },
        Math.max(0, at - now),
      );
    },

    cancel(): void {
      clearTimeout(timer);
      dueAt = Number.POSITIVE_INFINITY;
    },
  };
}

export type FlushScheduler = ReturnType<typeof createFlushScheduler>;
