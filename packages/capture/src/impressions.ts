import type { Logger } from '@portrait/core';

export const CARD = '[data-portrait-product]:not([data-portrait-page])';

/**
 * Product-card impressions: a card counts once it has been at least half visible for a full
 * second. The observer reports geometry off the main thread's hot path; a card leaving view
 * before the second is up cancels its timer. `reset()` starts a new page view (SPA routes):
 * re-observing makes the observer report every card afresh.
 */
export function watchImpressions(onSeen: (card: Element) => void, log: Logger) {
  // Every browser with IntersectionObserver also has MutationObserver.
  if (typeof IntersectionObserver !== 'function') {
    log.debug('no IntersectionObserver');
    return undefined;
  }
  const timers = new Map<Element, ReturnType<typeof setTimeout>>();
  const io = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting, intersectionRatio } of entries) {
        if (isIntersecting && intersectionRatio >= 0.5) {
          if (!timers.has(target))
            timers.set(
              target,
              setTimeout(() => {
                timers.delete(target);
                if (target.isConnected) onSeen(target);
              }, 1000),
            );
        } else {
          clearTimeout(timers.get(target));
          timers.delete(target);
        }
      }
    },
    // Crossing half visibility either way is the only change that matters.
    { threshold: 0.5 },
  );
  const scan = (root: ParentNode) => {
    if (root instanceof Element && root.matches(CARD)) io.observe(root);
    for (const el of root.querySelectorAll(CARD)) io.observe(el);
  };
  // Cards rendered later (infinite scroll, SPA views) are picked up as they arrive.
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n instanceof Element) scan(n);
  }).observe(document.documentElement, { childList: true, subtree: true });
  scan(document);
  return {
    reset() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      io.disconnect();
      scan(document);
    },
  };
}
