import type { WorkerApi } from '@portrait/worker/contract';
import type { Remote } from 'comlink';
import { remote } from './rpc';

/**
 * Starts the engine's module worker. From the shop's own origin it is a plain same-origin URL,
 * which a strict CSP (`worker-src 'self'`) allows. A tag served from a CDN is cross-origin to the
 * shop, and browsers refuse cross-origin worker URLs, so then a same-origin blob module imports
 * it: that needs `worker-src blob:` and CORS headers on the CDN (see README).
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
  return { api: remote<WorkerApi>(worker), worker };
}
