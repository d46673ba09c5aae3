/**
 * Calls `cb` when a single-page app moves to another path: pushState/replaceState are wrapped
 * (same `this`, same arguments, same return value) and popstate is watched. Query and hash
 * changes (filters, anchors) stay within the page view.
 */
export function onRouteChange(cb: () => void): void {
  let path = location.pathname;
  const check = () => {
    if (location.pathname === path) return;
    path = location.pathname;
    cb();
  };
  for (const m of ['pushState', 'replaceState'] as const) {
    const original = history[m];
    history[m] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = original.apply(this, args);
      try {
        check();
      } catch {
        // The host's navigation already happened; ours is best effort.
      }
      return r;
    };
  }
  addEventListener('popstate', check);
}
