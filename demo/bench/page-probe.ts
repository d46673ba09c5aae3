/** Which engine path a run takes: the demo's default, or the engine as it was before catalogue-first. */
export type FirstVisitPath = 'catalogue-first' | 'model-first';

/** What the probe reads from the engine's IndexedDB. */
export interface ProbeState {
  stored: number;
  /** Stored events not yet in the profile (waiting for the model). */
  pending: number;
  /** This page's product view is stored and folded into the profile. */
  viewApplied: boolean;
  profileCount: number;
}

/**
 * The init script every bench page gets, as plain JavaScript (Playwright sends it as source).
 *
 * It polls the engine's IndexedDB every 5 ms and records, as `window.__firstVisit.persistedMs`
 * (ms since navigation start), when this page's product view is folded into a persisted profile.
 * The database is opened without a version, and an open that would create it is aborted, so the
 * probe never makes the engine's database before the engine does.
 *
 * For `model-first` it rewrites the config the tag's init call gives the worker to
 * `{ model: 'eager', catalogueUrl: false }`: the engine before catalogue-first. The tag's public
 * API has no such switch (nor should it), so the bench sets it on the wire, in the page only.
 */
export function pageProbe(path: FirstVisitPath): string {
  return `(() => {
  if (${JSON.stringify(path)} === 'model-first') {
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg, ...rest) {
      const arg = msg && msg.type === 'APPLY' && msg.path && msg.path[0] === 'init' && msg.argumentList && msg.argumentList[0];
      if (arg && arg.value && typeof arg.value === 'object')
        msg = { ...msg, argumentList: [{ ...arg, value: { ...arg.value, model: 'eager', catalogueUrl: false } }] };
      return post.call(this, msg, ...rest);
    };
  }
  const match = location.pathname.match(/\\/p\\/([^/]+)\\.html$/);
  const product = match ? match[1] : undefined;
  const since = Math.floor(performance.timeOrigin) - 1;
  const probe = { product, persistedMs: undefined };
  window.__firstVisit = probe;
  let db;
  const open = () => new Promise((resolve) => {
    const r = indexedDB.open('portrait');
    r.onupgradeneeded = () => r.transaction.abort();
    r.onsuccess = () => {
      r.result.onversionchange = () => { r.result.close(); db = undefined; };
      resolve(r.result);
    };
    r.onerror = () => resolve(undefined);
  });
  const read = (d, all) => new Promise((resolve) => {
    try {
      const tx = d.transaction(['events', 'profiles'], 'readonly');
      const events = tx.objectStore('events');
      const ev = all ? events.getAll() : events.index('ts').getAll(IDBKeyRange.lowerBound(since));
      const pr = tx.objectStore('profiles').getAll();
      tx.oncomplete = () => {
        const view = ev.result.find((e) => e.type === 'view' && e.product && e.product.id === product && e.ts >= since);
        resolve({
          stored: ev.result.length,
          pending: ev.result.filter((e) => e.applied === 0).length,
          viewApplied: !!view && view.applied === 1,
          profileCount: pr.result.reduce((m, p) => Math.max(m, p.count || 0), 0),
        });
      };
      tx.onerror = tx.onabort = () => resolve(undefined);
    } catch { resolve(undefined); }
  });
  const state = async (all) => {
    db = db || (await open());
    return db ? read(db, all) : undefined;
  };
  window.__firstVisitState = () => state(true);
  const poll = async () => {
    const s = await state(false);
    if (s && s.viewApplied && s.profileCount > 0) probe.persistedMs = performance.now();
    else setTimeout(poll, 5);
  };
  if (product) poll();
})();`;
}
