import type { WorkerApi } from '@portrait/worker/contract';
import { proxy, wrap } from 'comlink';

// The shipped worker (served at /portrait/ from packages/worker/dist), driven the way the tag
// drives it: through the one comlink contract.
declare global {
  interface Window {
    // Typed as the API itself: every method already returns a promise, which is what comlink's
    // Remote<> would give, and Playwright infers `Promise<Result<T>>` better than a union of promises.
    engine: WorkerApi;
    engineEvents: unknown[];
  }
}

const worker = new Worker('/portrait/portrait-worker.js', { type: 'module', name: 'portrait' });
window.engine = wrap<WorkerApi>(worker) as unknown as WorkerApi;
window.engineEvents = [];
void window.engine.subscribe(proxy((e: unknown) => void window.engineEvents.push(e)));
