import { loadEncoder } from '@portrait/model';

// The baseline the engine is measured against: each event embedded on its own with the same
// model and runtime, then the profile written to IndexedDB, with no batching and no cache.
declare global {
  interface Window {
    naive: { ready: Promise<void>; run(texts: string[]): Promise<number> };
  }
}

const encoder = loadEncoder({ baseUrl: '/models/', modelId: 'use-lite', dtype: 'q8', device: 'wasm' });

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('naive-baseline', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('profile');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

window.naive = {
  ready: encoder.then(() => undefined),
  async run(texts) {
    const e = await encoder;
    const db = await openDb();
    let profile: Float32Array | undefined;
    const started = performance.now();
    for (const t of texts) {
      const [v] = await e.embed([t]);
      if (!v) continue;
      profile = profile ? profile.map((p, i) => p + 0.1 * ((v[i] as number) - p)) : v;
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction('profile', 'readwrite');
        tx.objectStore('profile').put(profile, 'p');
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      });
    }
    db.close();
    return performance.now() - started;
  },
};
