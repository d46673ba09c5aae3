import type { Logger, PortraitEvent } from '@portrait/core';
import type { Result, WorkerConfig } from '@portrait/worker/contract';
import { afterLoad, idle } from './schedule';
import { startWorker } from './worker-client';

const MAX_BUFFER = 1000;
// The engine takes at most 500 events per call; smaller batches also keep each clone short.
const BATCH = 200;

/**
 * The only road from page to worker. Events wait in memory; a batch crosses in idle time. The
 * worker itself starts only after the page's `load` and an idle period, and only once there is
 * something to send or ask (so a shopper who never consents never gets a worker or a database).
 */
export function createSender(workerUrl: string, workerConfig: WorkerConfig, log: Logger) {
  let buffer: PortraitEvent[] = [];
  let scheduled = false;
  let remote: ReturnType<typeof startWorker> | undefined;
  let ready: Promise<boolean> | undefined;

  const connect = (): Promise<boolean> =>
    (ready ??= afterLoad().then(async () => {
      try {
        if (typeof Worker !== 'function') throw 'no Worker';
        remote = startWorker(workerUrl);
        const r = await remote.api.init(workerConfig);
        if (!r.ok) log.warn('init', r.error.code, r.error.message);
        return r.ok;
      } catch (err) {
        log.debug('no worker', err);
        remote = undefined;
        return false;
      }
    }));

  // Posting is synchronous, so on pagehide (all = true) every batch is handed over before the page goes.
  const send = (all?: unknown) => {
    scheduled = false;
    while (remote && buffer.length) {
      remote.api.ingest(buffer.splice(0, BATCH)).then(
        (r) => {
          if (!r.ok) log.warn('ingest', r.error.code, r.error.message);
        },
        (err) => log.warn('ingest', err),
      );
      if (all !== true) break;
    }
    if (buffer.length) schedule();
  };

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    void connect().then((ok) => {
      if (ok) idle(send);
      else scheduled = false;
    });
  }

  return {
    push(e: PortraitEvent) {
      if (buffer.length >= MAX_BUFFER) buffer.shift();
      buffer.push(e);
      schedule();
    },
    /** Hands the batch over now if the worker is running (pagehide, tab hidden). */
    flushNow: () => send(true),
    clear() {
      buffer = [];
    },
    /** Calls a worker method, starting the worker if need be; failures resolve to undefined. */
    async call<T>(name: string, fn: (api: NonNullable<typeof remote>['api']) => Promise<Result<T>>) {
      try {
        if (!(await connect()) || !remote) return undefined;
        const r = await fn(remote.api);
        if (r.ok) return r.value;
        log.warn(name, r.error.code, r.error.message);
      } catch (err) {
        log.warn(name, err);
      }
      return undefined;
    },
  };
}
