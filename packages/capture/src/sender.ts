import type { Logger, PortraitEvent } from '@portrait/core';
import type { Result, WorkerApi, WorkerConfig } from '@portrait/worker/contract';
import { afterLoad, idle } from './schedule.ts';
import { startWorker } from './worker-client.ts';

type Method = keyof WorkerApi;
/** What a worker method's Result carries when it succeeds. */
type Value<M extends Method> = Awaited<ReturnType<WorkerApi[M]>> extends Result<infer T> ? T : never;

const MAX_BUFFER = 1000;
// The engine takes at most 500 events per call; smaller batches also keep each clone short.
const BATCH = 200;
// A batch may legitimately wait minutes (behind a model download or a long fold), so what tells a
// dead worker from a busy one is a ping, which it answers between inference runs, within this.
const PING_MS = 10_000;
// A worker that dies on every start (a poisoned event, a broken runtime) is not restarted forever.
const MAX_RESTARTS = 3;
// Events the worker had not acknowledged when the page went away, kept for the tab's next page.
const UNSENT = 'portrait:unsent';

/**
 * The only road from page to worker. Events wait in memory until the worker acknowledges them as
 * stored; a batch crosses in idle time. The worker itself starts only after the page's `load` and
 * an idle period, and only once there is something to send or ask (so a shopper who never
 * consents never gets a worker or a database).
 */
export function createSender(workerUrl: string, workerConfig: WorkerConfig, log: Logger) {
  // Not yet acknowledged by the worker; the first `sent` of them are on their way to it. A page
  // gets its worker only after load, and the browser ends that worker with the page, so what the
  // last page posted (or never could) comes back from sessionStorage: the worker skips any event
  // id it already stored. They leave with this page's first event, so a page that captures
  // nothing (no consent yet, paused) starts no worker for them and carries them on.
  let buffer: PortraitEvent[] = [];
  try {
    // Spread: anything but a list throws here and is ignored.
    buffer = [...JSON.parse(sessionStorage[UNSENT])];
  } catch {}
  let sent = 0;
  let scheduled = false;
  let watching = false;
  let restarts = 0;
  let remote: ReturnType<typeof startWorker> | undefined;
  let ready: Promise<unknown> | undefined;

  // Code and message as strings: a console shows an object argument collapsed.
  const ok = (name: string, r: Result<unknown>) => r.ok || log.warn(name, r.error.code, r.error.message);
  // Set when the worker refused the merchant's config (a bad DP budget): capture stays off for
  // this page rather than running without the privacy the merchant asked for.
  let refused = false;

  const connect = (): Promise<unknown> =>
    (ready ??= afterLoad().then(async () => {
      try {
        // Without Worker (old browsers, some privacy modes) this throws, and the tag stays a no-op.
        remote = startWorker(workerUrl);
        const r = await remote.api.init(workerConfig);
        if (!r.ok && r.error.code === 'worker/bad-config') {
          refused = true;
          remote.worker.terminate();
          buffer = [];
        }
        return ok('init', r);
      } catch (err) {
        log.debug('no worker', err);
        remote = undefined;
        return false;
      }
    }));

  // While events are unacknowledged, a worker that misses a ping (crashed, closed itself, or killed
  // by the browser) is replaced and everything it did not acknowledge goes to the new one: the
  // worker stores events by id, so one that had reached its database is not applied twice.
  const watch = () => {
    if (watching) return;
    watching = true;
    const r = remote as NonNullable<typeof remote>;
    let pong: unknown;
    // Any answer, an error included (an older worker script without ping), shows it is alive.
    const answered = () => {
      pong = 1;
    };
    r.api.ping().then(answered, answered);
    setTimeout(() => {
      watching = false;
      if (pong) {
        if (sent) watch();
      } else if (restarts++ < MAX_RESTARTS) {
        log.warn('worker restart');
        r.worker.terminate();
        // Settles the calls still waiting on the dead worker (see rpc.ts).
        r.worker.dispatchEvent(new Event('error'));
        remote = ready = undefined;
        sent = 0;
        schedule();
      }
    }, PING_MS);
  };

  // Posting is synchronous, so on pagehide (all = true) every batch is handed over before the page goes.
  const send = (all?: unknown) => {
    scheduled = false;
    while (remote && buffer.length > sent) {
      const batch = buffer.slice(sent, sent + BATCH);
      sent += batch.length;
      remote.api.ingest(batch).then(
        (r) => {
          ok('ingest', r);
          // Stored, or refused for good: either way no longer the page's to keep.
          const before = buffer.length;
          // indexOf, not includes: the host page may have replaced Array.prototype.includes.
          buffer = buffer.filter((e) => batch.indexOf(e) < 0);
          sent -= before - buffer.length;
        },
        // Rejected only when this worker was given up on: the events stay for the next one.
        log.debug,
      );
      watch();
      if (all !== true) break;
    }
    if (buffer.length > sent) schedule();
  };

  // Rewritten on every hide, so it holds at most one page's unacknowledged events, never a history.
  function keep() {
    try {
      sessionStorage[UNSENT] = JSON.stringify(buffer);
    } catch {}
  }

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
      if (refused) return;
      if (buffer.length >= MAX_BUFFER && buffer.shift() && sent) sent--;
      // Not buffer.push: the host page may have replaced Array.prototype.push.
      buffer[buffer.length] = e;
      schedule();
    },
    /** Hands the batch over now if the worker is running, and keeps a copy for the next page (pagehide, tab hidden). */
    flushNow() {
      send(true);
      keep();
    },
    clear() {
      buffer = [];
      sent = 0;
      keep();
    },
    /** Calls a worker method by name, starting the worker if need be; failures resolve to undefined. */
    async call<M extends Method>(method: M, args: unknown[] = []): Promise<Value<M> | undefined> {
      try {
        if (!(await connect())) return undefined;
        // The RPC proxy posts any name; the worker answers an unknown one with a throw.
        const r = await (
          (remote as NonNullable<typeof remote>).api[method] as (...a: unknown[]) => Promise<Result<Value<M>>>
        )(...args);
        if (ok(method, r)) return (r as { value: Value<M> }).value;
      } catch (err) {
        log.warn(method, err);
      }
      return undefined;
    },
  };
}
