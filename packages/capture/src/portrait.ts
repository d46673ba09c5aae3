import { createLogger, EVENT_TYPES, type EventType, type LogLevel, type PortraitEvent } from '@portrait/core';
import type { LocalExport, WorkerConfig, WorkerStatus } from '@portrait/worker/contract';
import { pageProduct } from './product';
import { scrubPii } from './scrub';
import { startWorker } from './worker-client';

/** Merchant configuration, from `data-` attributes or `portrait('init', {...})`. */
export interface PortraitConfig {
  /** Collector base URL; nothing is synced when absent. */
  collector?: string;
  /** Folder holding `portrait-worker.js` (and model files); defaults to the tag's own folder. */
  assetBase?: string;
  logLevel?: LogLevel;
  /** Capture product views automatically (default true). */
  autoCapture?: boolean;
  /** Learning rate passed to the engine. */
  eta?: number;
}

/** The page-side handle. Every method is safe to call at any time and never throws. */
export interface Portrait {
  track(type: EventType, props?: Partial<Omit<PortraitEvent, 'id' | 'type' | 'ts'>>): void;
  pause(): void;
  resume(): void;
  status(): Promise<WorkerStatus | undefined>;
  exportData(): Promise<LocalExport | undefined>;
  forget(): Promise<boolean>;
}

const newId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

function scrubEvent(e: PortraitEvent): PortraitEvent {
  const out = { ...e };
  if (out.query) out.query = scrubPii(out.query);
  if (out.product?.title) out.product = { ...out.product, title: scrubPii(out.product.title) };
  return out;
}

export function createPortrait(config: PortraitConfig = {}): Portrait {
  const log = createLogger('portrait', config.logLevel ?? 'warn');
  const base = config.assetBase ?? new URL('.', location.href).href;
  let paused = false;
  let buffer: PortraitEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const workerConfig: WorkerConfig = { logLevel: config.logLevel ?? 'warn' };
  if (config.collector) workerConfig.collectorUrl = config.collector;
  if (config.eta !== undefined) workerConfig.eta = config.eta;

  let remote: ReturnType<typeof startWorker> | undefined;
  let ready: Promise<boolean> | undefined;
  const connect = (): Promise<boolean> => {
    ready ??= (async () => {
      try {
        remote = startWorker(new URL('portrait-worker.js', base).href);
        const r = await remote.api.init(workerConfig);
        if (!r.ok) log.warn('worker init failed', r.error.code, r.error.message);
        return r.ok;
      } catch (err) {
        log.warn('worker could not start', err);
        return false;
      }
    })();
    return ready;
  };

  const flush = () => {
    flushTimer = undefined;
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    void connect().then(async (ok) => {
      if (!ok || !remote) return;
      try {
        const r = await remote.api.ingest(batch);
        if (!r.ok) log.warn('ingest failed', r.error.code, r.error.message);
        else for (const rej of r.value.rejected) log.debug('event dropped:', rej.reason);
      } catch (err) {
        log.warn('ingest failed', err);
      }
    });
  };

  const track: Portrait['track'] = (type, props = {}) => {
    try {
      if (paused) return;
      if (!(EVENT_TYPES as readonly string[]).includes(type)) {
        log.debug('unknown event type dropped:', type);
        return;
      }
      buffer.push(scrubEvent({ ...props, id: newId(), type, ts: Date.now() } as PortraitEvent));
      // Batch bursts (a listing's impressions) into one message.
      if (flushTimer === undefined) flushTimer = setTimeout(flush, 50);
    } catch (err) {
      log.warn('track failed', err);
    }
  };

  // The worker stores what it receives before doing anything else, so hand over what is buffered.
  addEventListener('pagehide', flush);

  if (config.autoCapture !== false) {
    const capture = () => {
      const product = pageProduct(document);
      if (product) track('view', { product });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', capture, { once: true });
    else capture();
  }
  void connect();

  const call = async <T>(
    name: string,
    fn: () => Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
  ) => {
    try {
      if (!(await connect())) return undefined;
      const r = await fn();
      if (r.ok) return r.value;
      log.warn(`${name} failed`, r.error.code, r.error.message);
    } catch (err) {
      log.warn(`${name} failed`, err);
    }
    return undefined;
  };

  return {
    track,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
    status: () => call('status', () => (remote as NonNullable<typeof remote>).api.status()),
    exportData: () => call('export', () => (remote as NonNullable<typeof remote>).api.exportData()),
    forget: async () => {
      buffer = [];
      return (await call('forget', () => (remote as NonNullable<typeof remote>).api.forget())) === true;
    },
  };
}
