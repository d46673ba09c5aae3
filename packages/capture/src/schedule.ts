// Work the tag defers off the critical path: into idle time, and after the page's own `load`.

type IdleWindow = { requestIdleCallback?: (cb: () => void, o?: { timeout: number }) => number };

/** Runs `fn` when the main thread is idle, or after 2 s at the latest (Safari has no rIC: 200 ms). */
export function idle(fn: () => void): void {
  const w = window as IdleWindow;
  if (w.requestIdleCallback) w.requestIdleCallback(fn, { timeout: 2000 });
  else setTimeout(fn, 200);
}

/** Resolves after the page's `load` event and one idle period, so the tag never competes with it. */
export function afterLoad(): Promise<void> {
  return new Promise((resolve) => {
    const go = () => idle(resolve);
    if (document.readyState === 'complete') go();
    else addEventListener('load', go, { once: true });
  });
}
