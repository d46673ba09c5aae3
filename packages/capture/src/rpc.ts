import type { Remote } from 'comlink';

type Endpoint = Pick<Worker, 'postMessage' | 'addEventListener'> & { start?: () => void };
type Settle = [(v: unknown) => void, (e: unknown) => void];

/**
 * The page's side of the comlink contract, in a few hundred bytes instead of comlink's 1.7 KB
 * gzipped (the tag's budget is 5 KB). It speaks comlink's own wire protocol for method calls
 * (`APPLY` with `RAW` values; a throw comes back as the `throw` handler) to a worker that
 * `expose`s the engine with comlink, so the typed contract and the worker stay comlink's.
 * Only calls with structured-clonable arguments are supported: no proxies or transfers.
 */
export function remote<T>(ep: Endpoint): Remote<T> {
  const pending = new Map<number, Settle>();
  let n = 0;
  let alive = false;
  let dead: unknown;
  ep.addEventListener('message', (ev) => {
    alive = true;
    const d = (ev as MessageEvent).data;
    const p = d && pending.get(d.id);
    if (!p) return;
    pending.delete(d.id);
    if (d.type === 'RAW') p[0](d.value);
    else p[1](d.name === 'throw' ? d.value?.value : d);
  });
  // A worker script that fails to load (404, CSP, syntax) only fires `error`: settle what waits
  // and refuse later calls, or they would hang forever. Once it has answered, an error is its own,
  // unless the page raised it (sender.ts, on terminating a worker that stopped answering).
  ep.addEventListener('error', (e) => {
    if (alive && e.isTrusted) return;
    dead = e;
    for (const p of pending.values()) p[1](e);
    pending.clear();
  });
  ep.start?.();
  return new Proxy({} as Remote<T>, {
    get: (_, name) =>
      // Not a thenable: awaiting the handle itself must not post a call.
      name === 'then' || typeof name !== 'string'
        ? undefined
        : (...args: unknown[]) =>
            new Promise((resolve, reject) => {
              if (dead) return reject(dead);
              // comlink's expose echoes the id back as it came.
              const id = ++n;
              pending.set(id, [resolve, reject]);
              ep.postMessage({
                id,
                type: 'APPLY',
                path: [name],
                // Array.from, not args.map: the host page may have replaced Array.prototype.map.
                argumentList: Array.from(args, (value) => ({ type: 'RAW', value })),
              });
            }),
  });
}
