/**
 * Visible, active time: the clock runs while the page is visible and stops `idleMs` after the
 * last input, so a tab left open in the background or an abandoned screen adds nothing.
 * Times come from the caller (performance.now() in the page) so the arithmetic is testable.
 */
export function dwellClock(idleMs: number, now: number, visible: boolean) {
  let total = 0;
  let since: number | undefined = visible ? now : undefined;
  let lastInput = now;
  const open = (t: number) => (since === undefined ? 0 : Math.max(0, Math.min(t, lastInput + idleMs) - since));
  return {
    /** Any shopper input (pointer, key, scroll, touch). */
    input(t: number) {
      if (since !== undefined && t > lastInput + idleMs) {
        total += open(t);
        since = t;
      }
      lastInput = t;
    },
    visibility(t: number, isVisible: boolean) {
      if (!isVisible && since !== undefined) {
        total += open(t);
        since = undefined;
      } else if (isVisible && since === undefined) {
        // Coming back to the tab is itself an action.
        since = lastInput = t;
      }
    },
    ms: (t: number) => Math.round(total + open(t)),
  };
}

export type DwellClock = ReturnType<typeof dwellClock>;
