import type { WorkerApi } from '@portrait/worker/contract';
import type { Remote } from 'comlink';
import { remote } from './rpc.ts';

/**
 * Starts the engine's module worker from a same-origin URL, which a strict CSP
 * (`worker-src 'self'`) allows. Browsers refuse cross-origin worker URLs, and the `blob:` shim
 * that works around it is what strict CSPs block, so a tag served from a CDN points `assetBase`
 * at a copy of the worker on the shop's own origin (README). A refused URL throws here, and the
 * caller turns that into a no-op.
 */
export function startWorker(url: string): { api: Remote<WorkerApi>; worker: Worker } {
  // No `name`: devtools already label it by its URL, portrait-worker.js.
  const worker = new Worker(url, { type: 'module' });
  return { api: remote<WorkerApi>(worker), worker };
}
