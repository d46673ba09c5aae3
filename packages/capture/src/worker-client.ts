import type { WorkerApi } from '@portrait/worker/contract';
import { type Remote, wrap } from 'comlink';

/**
 * Starts the engine's module worker. A tag served from a CDN is cross-origin to the shop, and
 * browsers refuse cross-origin worker URLs, so then a same-origin blob module imports it (the
 * CDN must send CORS headers for module scripts, as it must for any module).
 */
export function startWorker(url: string): { api: Remote<WorkerApi>; worker: Worker } {
  const target = new URL(url, location.href);
  let worker: Worker;
  if (target.origin === location.origin) {
    worker = new Worker(target, { type: 'module', name: 'portrait' });
  } else {
    const shim = URL.createObjectURL(new Blob([`import ${JSON.stringify(target.href)};`], { type: 'text/javascript' }));
    worker = new Worker(shim, { type: 'module', name: 'portrait' });
    // Revoking is safe once the worker has fetched the blob, which starts synchronously here.
    setTimeout(() => URL.revokeObjectURL(shim), 10_000);
  }
  return { api: wrap<WorkerApi>(worker), worker };
}
