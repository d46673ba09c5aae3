// The loop every on-device list of the shop runs: ask a cheap state (the tag's status costs no
// network), redraw only when its key changed, never two draws at once, and never let a failure
// reach the page (the list shown stays, and the next tick tries again).

/** A running redraw loop; `now()` redraws at once whatever the key (a mode the shopper picked). */
export interface Redraw {
  now(): void;
}

/** How often the state is read: a list follows a new event within a second (a tick is one status call). */
export const REDRAW_EVERY_MS = 300;

export function startRedraw<S>(
  read: () => Promise<S>,
  key: (state: S) => string,
  draw: () => Promise<void>,
  every = REDRAW_EVERY_MS,
): Redraw {
  let busy = false;
  // A request that came in while a draw ran: served right after it, not a tick later.
  let again = false;
  let drawn: string | undefined;
  const tick = async () => {
    // A hidden tab draws nothing: it catches up when it shows again (the key will differ).
    if (typeof document !== 'undefined' && document.hidden) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const k = key(await read());
      if (k === drawn) return;
      await draw();
      drawn = k;
    } catch {
      // Never into the page: what is shown stays, and `drawn` is unchanged so the next tick retries.
    } finally {
      busy = false;
      if (again) {
        again = false;
        void tick();
      }
    }
  };
  void tick();
  setInterval(() => void tick(), every);
  return {
    now() {
      drawn = undefined;
      void tick();
    },
  };
}
