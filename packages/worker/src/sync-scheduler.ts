/**
 * Retries of the outbox without the page's help: a timer for the next backed-off entry and the
 * worker's own `online` event. One engine per worker, so one timer per worker.
 */
let timer: ReturnType<typeof setTimeout> | undefined;
let dueAt = Number.POSITIVE_INFINITY;
let onlineHooked = false;

/** Runs `flush` whenever the worker comes back online (registered once). */
export function onOnline(flush: () => unknown): void {
  if (onlineHooked || typeof self === 'undefined' || !('addEventListener' in self)) return;
  onlineHooked = true;
  self.addEventListener('online', () => void flush());
}

/** Runs `flush` at `at` (epoch ms), unless an earlier run is already scheduled. */
export function scheduleFlush(at: number | undefined, flush: () => unknown, now = Date.now()): void {
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
}

export function cancelFlush(): void {
  clearTimeout(timer);
  dueAt = Number.POSITIVE_INFINITY;
}
