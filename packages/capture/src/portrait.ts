// Over 300 lines on purpose: the tag's state lives in this one closure so the minifier can
// rename every name in it; split into modules, each shared binding would cost bytes of the
// 5 KB tag. The readers and the sender it wires are their own modules.
import {
  createLogger,
  type DpBudget,
  type EventType,
  type LogLevel,
  type PortraitEvent,
  type ProductInfo,
  scrubPii,
} from '@portrait/core';
import type { WorkerConfig, WorkerStatus } from '@portrait/worker/contract';
import { fromDataLayer, watchDataLayer } from './datalayer.ts';
import { readClick, readSubmit, scrollDepth, urlQuery } from './dom-events.ts';
import { type DwellClock, dwellClock } from './dwell.ts';
import { onRouteChange } from './history.ts';
import { CARD, watchImpressions } from './impressions.ts';
import { type PrivacyOptions, privacyBlock } from './privacy.ts';
import { pageProduct, productFromAttributes } from './product.ts';
import { createSender } from './sender.ts';

/** Merchant configuration, from `data-` attributes or `portrait('init', {...})`. */
export interface PortraitConfig extends PrivacyOptions {
  /** Collector base URL; nothing is synced when absent. */
  collector?: string;
  /** Folder holding `portrait-worker.js` (and model files); defaults to the tag's own folder. */
  assetBase?: string;
  logLevel?: LogLevel;
  /** Capture views, impressions, clicks, searches and the dataLayer automatically (default true). */
  autoCapture?: boolean;
  /** 'required': nothing is captured until `consent(true)`. Default: not required. */
  consent?: 'required';
  /** Seconds without input after which dwell stops counting (default 30). */
  idleSeconds?: number;
  /** Name of the GA4/GTM data layer to read (default 'dataLayer'); `false` leaves it alone. */
  dataLayer?: string | false;
  /** Treat history.pushState/popstate path changes as new page views (default true). */
  spa?: boolean;
  /**
   * Local differential privacy for what is synced (off unless set): the privacy budget per epoch
   * (`epsilon`, optional `delta`, `releases`). A budget the worker refuses turns capture off.
   */
  dp?: Partial<DpBudget>;
}

/** The worker methods a page may `call`, each answered as the Portrait handle documents. */
export type PageMethod = (typeof PAGE_CALLS)[number];

/** The worker's status without what a page script has no need to know (see README, "What a page script gets"). */
export type PageStatus = Omit<WorkerStatus, 'sensitiveSkipped'>;

/** Props of an explicit event (`portrait('track', type, props)`). */
export type TrackProps = Partial<Omit<PortraitEvent, 'id' | 'type' | 'ts'>>;

/** The page-side handle. Every method is safe to call at any time and never throws. */
export interface Portrait {
  track(type: EventType, props?: TrackProps): void;
  /** Grants or withdraws consent (matters with `consent: 'required'`). */
  consent(granted: boolean): void;
  pause(): void;
  resume(): void;
  /** Counts, model and last sync; undefined while capture is off (no consent, GPC/DNT) or on failure. */
  status(): Promise<PageStatus | undefined>;
  /**
   * Downloads the shopper's local events and profile as a JSON file, only during a user click
   * (transient activation); resolves to whether the download started, never to the data.
   */
  exportData(): Promise<boolean>;
  /** Wipes local data and asks the collector to erase the synced profile; true when wiped. */
  forget(): Promise<boolean>;
  /**
   * A worker method from the page's allowlist: `explain`, `risk`, `segments`, `recommend`,
   * `rerank`, `forYou`, `related`, `boughtTogether`, `searchRank` and `flush` resolve to the method's value; `loadModel`, `forgetItem` and
   * `forgetSince` to true once done. Any other name, or any failure, resolves to undefined.
   */
  call(method: PageMethod, ...args: unknown[]): Promise<unknown>;
}

// What a merchant's page may ask the worker. explain, risk, segments, recommend, rerank, the
// on-device recommenders (forYou, related, boughtTogether, searchRank) and flush are answered as the worker answers (what a page shows or ranks with); loadModel, forgetItem and
// forgetSince (the `ACT`s) only with "done": loadModel's value is the full status, and how many
// events forgetItem removed is the shopper's history of that item. Never from a page: the id and
// exportData are what a hostile script wants, init would re-point the worker (and its ownership
// token) at another collector, ingest skips scrubbing and consent (track is the page's way in),
// subscribe hands out every status change.
const PAGE_CALLS = [
  'explain',
  'risk',
  'segments',
  'recommend',
  'rerank',
  'forYou',
  'related',
  'boughtTogether',
  'searchRank',
  'flush',
  'loadModel',
  'forgetItem',
  'forgetSince',
] as const;
const ACT = /^(load|forget)/;

// 128 random bits; the worker stores events by this id, so a batch sent twice is stored once.
const newId = () => crypto.getRandomValues(new Uint32Array(4)).join('-');
// Touches arrive as pointer events too (every browser the tag runs in has them).
const CLOCK_INPUTS = ['pointerdown', 'pointermove', 'keydown', 'scroll', 'wheel'];

export function createPortrait(config: PortraitConfig = {}): Portrait {
  const log = createLogger('portrait', config.logLevel ?? 'warn');
  const workerConfig: WorkerConfig = { logLevel: config.logLevel ?? 'warn' };
  // The shopper's Save-Data as the page sees it: a dedicated worker does not always see the
  // same (Chromium's Save-Data emulation, browsers without navigator.connection in workers), and
  // the worker then downloads the model it should defer.
  if ((navigator as { connection?: { saveData?: boolean } }).connection?.saveData) workerConfig.saveData = true;
  if (config.collector) workerConfig.collectorUrl = config.collector;
  // Passed as given: the worker validates the budget and refuses init over a bad one.
  if (config.dp) workerConfig.dp = config.dp;
  let workerUrl = '';
  try {
    // A relative assetBase ('/portrait/') is relative to the page.
    workerUrl = new URL('portrait-worker.js', new URL(config.assetBase ?? '.', location.href)).href;
  } catch {
    log.warn('bad assetBase', config.assetBase);
  }
  const sender = createSender(workerUrl, workerConfig, log);
  const blocked = privacyBlock(config);
  if (blocked) log.info(`capture off: ${blocked}`);
  let consented = config.consent !== 'required';
  let paused = false;
  let started = false;
  const on = () => consented && !paused && !blocked;
  // Asking the worker anything would start it (and create its database): not before consent.
  const may = () => consented && !blocked;

  // Per page view: what was already counted (views, impressions) and the dwell clock.
  let seen = new Set<string>();
  let view: { product: ProductInfo; clock: DwellClock; depth: number } | undefined;
  const recent = new Map<string, number>();

  // Every handler the tag installs goes through here: the host page never sees our exceptions.
  const guard =
    <A extends unknown[]>(fn: (...a: A) => void) =>
    (...a: A) => {
      try {
        fn(...a);
      } catch (err) {
        log.debug(err);
      }
    };

  const emit = (type: EventType, props: TrackProps = {}) => {
    const e = { ...props, id: newId(), type, ts: Date.now() } as PortraitEvent;
    if (e.query) e.query = scrubPii(String(e.query));
    if (e.product?.title) e.product = { ...e.product, title: scrubPii(String(e.product.title)) };
    if (e.name) e.name = scrubPii(String(e.name));
    sender.push(e);
  };

  // Automatic captures: once per page view for views and impressions; the same action
  // seen twice within a second (a button click and the shop's own dataLayer push) counts once.
  const auto = (type: EventType, props: TrackProps, key = `${type}:${props.product?.id ?? props.query}`) => {
    if (!on()) return;
    if (type === 'impression' || type === 'view') {
      if (seen.has(key)) return;
      seen.add(key);
    } else {
      const now = Date.now();
      if (now - (recent.get(key) ?? 0) < 1000) return;
      recent.set(key, now);
    }
    emit(type, props);
  };

  // A product page yields a `view` at once and, when the shopper leaves (pagehide or an SPA
  // route change), a `dwell` with the visible active time and how far they scrolled.
  const startView = (p = pageProduct(document)) => {
    if (!p || view || !on()) return;
    view = {
      product: p,
      clock: dwellClock((config.idleSeconds ?? 30) * 1000, performance.now(), !document.hidden),
      depth: scrollDepth(),
    };
    auto('view', { product: p });
  };
  const endView = () => {
    const dwellMs = view?.clock.ms(performance.now());
    if (view && dwellMs && on()) emit('dwell', { product: view.product, dwellMs, scrollDepth: view.depth });
    view = undefined;
  };

  const start = () => {
    if (started || !on()) return;
    started = true;
    const add = (t: EventTarget, type: string, fn: (e: Event) => void) =>
      t.addEventListener(type, guard(fn), { capture: true, passive: true });

    add(window, 'pagehide', () => {
      endView();
      sender.flushNow();
    });
    add(document, 'visibilitychange', () => {
      view?.clock.visibility(performance.now(), !document.hidden);
      if (document.hidden) sender.flushNow();
    });
    for (const t of CLOCK_INPUTS) add(window, t, () => view?.clock.input(performance.now()));
    if (config.autoCapture === false) return;

    const cardProduct = (el: Element) => {
      const card = el.closest('[data-portrait-product]');
      return (card && productFromAttributes(card)) ?? view?.product ?? pageProduct(document);
    };
    add(document, 'click', (e) => {
      const c = readClick(e);
      if (!c || !('el' in c)) return;
      const product = cardProduct(c.el);
      // A click that navigates away is handed over (or kept for the next page) by pagehide.
      if (product) auto(c.type, { product, quantity: c.quantity });
    });
    add(document, 'submit', (e) => {
      const c = readSubmit(e);
      // A plain GET search navigates to a results URL with the query, and the results page reads
      // it there: this page's handover would race the navigation. A search the shop handles in
      // script (default prevented, as SPAs do) is recorded here, once the shop's handlers ran.
      if (c)
        setTimeout(
          guard(() => {
            if (c.viaUrl && !e.defaultPrevented) return;
            auto('search', { query: c.query });
          }),
        );
    });
    add(window, 'scroll', () => {
      if (view) view.depth = Math.max(view.depth, scrollDepth());
    });

    // A page view: a site-search results URL is a search; a product page starts a view.
    const newPage = guard(() => {
      const query = urlQuery(location.search);
      if (query) auto('search', { query });
      startView();
    });
    const impressions = watchImpressions(
      guard((card: Element) => {
        const product = productFromAttributes(card);
        if (product) auto('impression', { product });
      }),
      log,
    );

    // Each piece is guarded on its own: a frozen dataLayer or history must not cost the rest.
    if (config.dataLayer !== false) {
      guard(watchDataLayer)(
        window as unknown as Record<string, unknown>,
        config.dataLayer ?? 'dataLayer',
        guard((entry: unknown) => {
          for (const c of fromDataLayer(entry)) {
            if (c.type === 'page_product') startView(pageProduct(document) ?? c.product);
            // Cards with data attributes are the better impression source (they know visibility).
            else if (c.type !== 'impression' || !document.querySelector(CARD)) auto(c.type, c);
          }
        }),
      );
    }

    // Back from the back/forward cache: the page is shown again, so it is a new page view.
    add(window, 'pageshow', (e) => {
      if (!(e as PageTransitionEvent).persisted) return;
      seen = new Set();
      impressions?.reset();
      startView();
    });
    if (config.spa !== false) {
      guard(onRouteChange)(
        guard(() => {
          endView();
          seen = new Set();
          impressions?.reset();
          // The app renders the new route after pushState; read its product once that settled.
          setTimeout(newPage, 300);
        }),
      );
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', newPage, { once: true });
    else newPage();
  };

  const track: Portrait['track'] = guard((type: EventType, props?: TrackProps) => {
    if (!on()) return;
    // The worker validates every event (and drops unknown types) at its boundary.
    if (typeof type !== 'string' || (props !== undefined && typeof props !== 'object'))
      return log.debug('bad track', type);
    emit(type, { ...props });
  });

  guard(start)();

  return {
    track,
    consent: guard((granted: boolean) => {
      consented = granted === true;
      if (!consented) {
        view = undefined;
        sender.clear();
      } else start();
    }),
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      guard(start)();
    },
    status: async () => {
      const s = may() ? await sender.call('status') : undefined;
      // The status crossed as a structured clone: ours to trim.
      if (s) delete (s as Partial<WorkerStatus>).sensitiveSkipped;
      return s;
    },
    exportData: async () => {
      // Checked before any await: only a click by the shopper, on this page, gets a download.
      if (!navigator.userActivation?.isActive || !may()) {
        log.warn('export needs a user click');
        return false;
      }
      const data = await sender.call('exportData');
      if (!data) return false;
      const a = document.createElement('a');
      // Float32Arrays as plain arrays, so the file is readable JSON.
      const json = JSON.stringify(data, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v));
      a.href = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      a.download = 'portrait-export.json';
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 1e3);
      return true;
    },
    call: async (method, ...args) => {
      if ((PAGE_CALLS as readonly string[]).indexOf(method) < 0 || !may()) return log.warn('not for pages:', method);
      const r = await sender.call(method, args);
      return ACT.test(method) ? r !== undefined || undefined : r;
    },
    forget: async () => {
      sender.clear();
      view = undefined;
      seen = new Set();
      return (await sender.call('forget')) !== undefined;
    },
  };
}
