// `pnpm --filter @portrait/demo bench` (the first-visit section of `pnpm bench`): a new shopper's
// first visit to the built demo shop, in real Chromium, on both engine paths in one run —
// `catalogue-first` (the demo as shipped: catalogue shards, model 'auto') and `model-first`
// (catalogue off, model 'eager': the engine before issue 15). Prints tables and writes
// bench-results/first-visit.json. Numbers, not pass/fail: the goals are in sections.ts.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Browser, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@portrait/fixtures/chromium';
import { PRODUCTS } from '../src/products.ts';
import { startBenchShop } from './bench-shop.ts';
import { recordPage, type Throttle, type Transfer } from './cdp-recorder.ts';
import { busyMs, KINDS, type Kind, percentile, summary } from './first-visit-stats.ts';
import { type FirstVisitPath, type ProbeState, pageProbe } from './page-probe.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  // pnpm 12 hands a literal `--` through to the script.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    // Cold first visits per path (each: a fresh context, so an empty HTTP cache and storage).
    runs: { type: 'string', default: '10' },
    // Further runs per path that sample the worker's CPU (the profiler would skew the timed runs).
    'cpu-runs': { type: 'string', default: '2' },
    // Throttled 5-page sessions per path: 75 s each, so few.
    sessions: { type: 'string', default: '2' },
  },
});
const RUNS = Number(values.runs);
const CPU_RUNS = Number(values['cpu-runs']);
const SESSIONS = Number(values.sessions);
const PATHS: FirstVisitPath[] = ['catalogue-first', 'model-first'];
// The issue's fast-4G throttle, both directions: a shopper on a phone outside.
const THROTTLE: Throttle = { latencyMs: 60, bitsPerSecond: 9_000_000 };
const SESSION_PAGES = 5;
const PAGE_MS = 15_000;
// Time a page stays after its profile is persisted: the worker's tail (shard prefetch, sync) is part of the page view.
const SETTLE_MS = 2_000;
const PROFILE_TIMEOUT_MS = 120_000;

const product = (i: number) => PRODUCTS[(i * 37) % PRODUCTS.length]?.id as string;

type KindBytes = Record<Kind | 'portrait' | 'total', number>;
function bytesByKind(transfers: readonly Transfer[]): KindBytes {
  const out = Object.fromEntries([...KINDS, 'portrait', 'total'].map((k) => [k, 0])) as KindBytes;
  for (const t of transfers) {
    out[t.kind] += t.bytes;
    out.total += t.bytes;
    // What Portrait costs the shopper: everything but the shop's own page and the sync round trips.
    if (t.kind !== 'other') out.portrait += t.bytes;
  }
  return out;
}

interface PageView {
  ms?: number;
  /** When the page's load event ended and when the tag asked for its worker (ms since navigation start). */
  loadMs?: number;
  workerRequestedMs?: number;
  bytes?: KindBytes;
  cpuMs?: number;
}

/** Opens `url` and waits for this page's view in a persisted profile (ms since navigation start). */
async function view(page: Page, url: string): Promise<{ origin: number; ms?: number; loadMs: number }> {
  await page.goto(url);
  const origin = (await page.evaluate('performance.timeOrigin')) as number;
  const ok = await page
    .waitForFunction('window.__firstVisit && window.__firstVisit.persistedMs !== undefined', undefined, {
      timeout: PROFILE_TIMEOUT_MS,
      polling: 20,
    })
    .then(
      () => true,
      () => false,
    );
  const loadMs = (await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")) as number;
  return ok
    ? { origin, loadMs, ms: (await page.evaluate('window.__firstVisit.persistedMs')) as number }
    : { origin, loadMs };
}

/** One cold first visit and the next page, in a fresh context. */
async function coldRun(browser: Browser, origin: string, path: FirstVisitPath, i: number, cpu: boolean) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(pageProbe(path));
    const rec = await recordPage(page, { profileWorker: cpu });
    const out: PageView[] = [];
    for (const id of [product(i), product(i + 5)]) {
      const v = await view(page, `${origin}/p/${id}.html`);
      // Also lets the sizes of requests that finished before the profile reach the recorder.
      await page.waitForTimeout(SETTLE_MS);
      const ms = v.ms;
      const done =
        ms === undefined ? [] : rec.transfers.filter((t) => t.endMs >= v.origin - 50 && t.endMs <= v.origin + ms);
      const worker = rec.transfers.find((t) => t.url.endsWith('/portrait/portrait-worker.js') && t.startMs >= v.origin);
      out.push({
        loadMs: v.loadMs,
        ...(worker ? { workerRequestedMs: worker.startMs - v.origin } : {}),
        ...(ms !== undefined ? { ms, bytes: bytesByKind(done) } : {}),
        ...(cpu ? { cpuMs: await rec.workerCpuMs(busyMs) } : {}),
      });
    }
    return out;
  } finally {
    await context.close();
  }
}

interface SessionPage {
  product: string;
  msToProfile?: number;
  state?: ProbeState;
  complete: boolean;
}

/** A 5-page session under the throttle, 15 s per page; each page checked as the shopper leaves it. */
async function throttledSession(browser: Browser, origin: string, path: FirstVisitPath, s: number) {
  const context = await browser.newContext();
  const pages: SessionPage[] = [];
  try {
    const page = await context.newPage();
    await page.addInitScript(pageProbe(path));
    await recordPage(page, { throttle: THROTTLE });
    for (let k = 0; k < SESSION_PAGES; k++) {
      const id = product(100 + s * SESSION_PAGES + k);
      const t0 = Date.now();
      await page.goto(`${origin}/p/${id}.html`, { timeout: PAGE_MS * 4 });
      await page.waitForTimeout(Math.max(0, PAGE_MS - (Date.now() - t0)));
      const state = (await page.evaluate('window.__firstVisitState()')) as ProbeState | undefined;
      const msToProfile = (await page.evaluate('window.__firstVisit.persistedMs')) as number | undefined;
      pages.push({
        product: id,
        ...(msToProfile !== undefined ? { msToProfile: Math.round(msToProfile) } : {}),
        ...(state ? { state } : {}),
        complete: !!state && state.viewApplied && state.pending === 0,
      });
    }
  } finally {
    await context.close();
  }
  return { complete: pages.every((p) => p.complete), pages };
}

/** The served size of a file under each Accept-Encoding (Content-Length of the demo's static server). */
function servedBytes(url: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
      });
      res.on('end', () => resolve(n));
    });
    req.on('error', reject);
    req.end();
  });
}

const medianBytes = (views: PageView[]): KindBytes | undefined => {
  const all = views.flatMap((v) => v.bytes ?? []);
  if (all.length === 0) return undefined;
  return Object.fromEntries(
    Object.keys(all[0] as KindBytes).map((k) => [
      k,
      percentile(
        all.map((b) => b[k as keyof KindBytes]),
        50,
      ),
    ]),
  ) as KindBytes;
};
const stats = (xs: (number | undefined)[]) => {
  const ok = xs.filter((x): x is number => x !== undefined);
  return { ...summary(ok), failed: xs.length - ok.length };
};

const t0 = performance.now();
const shop = await startBenchShop();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
const log = (s: string) => console.error(`[first-visit ${((performance.now() - t0) / 1000).toFixed(0)} s] ${s}`);
try {
  log(`shop ${shop.origin}, collector ${shop.collector}`);
  const cold: Record<FirstVisitPath, PageView[][]> = { 'catalogue-first': [], 'model-first': [] };
  const cpu: Record<FirstVisitPath, PageView[][]> = { 'catalogue-first': [], 'model-first': [] };
  // Paths alternate run by run, so the machine's load (shared, 2 cores) falls on both alike.
  for (let i = 0; i < RUNS + CPU_RUNS; i++) {
    for (const path of PATHS) {
      const sampled = i >= RUNS;
      const r = await coldRun(browser, shop.origin, path, i, sampled);
      (sampled ? cpu : cold)[path].push(r);
      log(
        `${sampled ? 'cpu' : 'cold'} run ${i + 1} ${path}: ${r.map((v) => `${v.ms?.toFixed(0) ?? 'timeout'} ms`).join(', ')}`,
      );
    }
  }
  const throttled: Record<FirstVisitPath, Awaited<ReturnType<typeof throttledSession>>[]> = {
    'catalogue-first': [],
    'model-first': [],
  };
  for (let s = 0; s < SESSIONS; s++) {
    for (const path of PATHS) {
      const r = await throttledSession(browser, shop.origin, path, s);
      throttled[path].push(r);
      log(`throttled session ${s + 1} ${path}: ${r.pages.map((p) => (p.complete ? 'ok' : 'missing')).join(' ')}`);
    }
  }
  // The WASM-only runtime's wasm (not the asyncify/WebGPU build), as the demo serves it.
  const wasm = readdirSync(join(shop.dist, 'portrait', 'assets')).find((f) =>
    /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f),
  );
  const wasmUrl = `${shop.origin}/portrait/assets/${wasm}`;
  const wasmRuntime = wasm
    ? {
        file: wasm,
        bytes: await servedBytes(wasmUrl, 'identity'),
        gzip: await servedBytes(wasmUrl, 'gzip'),
        br: await servedBytes(wasmUrl, 'br'),
      }
    : undefined;

  const pageResult = (views: PageView[]) => ({
    msToProfile: stats(views.map((v) => v.ms)),
    bytesToProfile: medianBytes(views),
    // Where the time goes: the tag starts its worker after the page's load and an idle period.
    loadMs: stats(views.map((v) => v.loadMs)),
    workerRequestedMs: stats(views.map((v) => v.workerRequestedMs)),
  });
  const result = (path: FirstVisitPath) => {
    const first = cold[path].map((r) => r[0] as PageView);
    const next = cold[path].map((r) => r[1] as PageView);
    const sessions = throttled[path];
    const complete = sessions.filter((x) => x.complete).length;
    return {
      cold: pageResult(first),
      next: pageResult(next),
      workerCpuMs: {
        first: stats(cpu[path].map((r) => r[0]?.cpuMs)),
        next: stats(cpu[path].map((r) => r[1]?.cpuMs)),
        perPageView: stats(cpu[path].flatMap((r) => r.map((v) => v.cpuMs))),
      },
      throttled: {
        sessions: sessions.length,
        complete,
        completePercent: sessions.length ? (100 * complete) / sessions.length : undefined,
        detail: sessions,
      },
    };
  };
  const paths = { 'catalogue-first': result('catalogue-first'), 'model-first': result('model-first') };
  // A percentile that was not measured (every run timed out) has no ratio, not a NaN.
  const ratio = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined && b > 0 ? Math.round((a / b) * 10) / 10 : undefined;
  const cf = paths['catalogue-first'];
  const mf = paths['model-first'];
  const speedupVsModelFirst = {
    coldP95: ratio(mf.cold.msToProfile.p95, cf.cold.msToProfile.p95),
    coldP50: ratio(mf.cold.msToProfile.p50, cf.cold.msToProfile.p50),
    nextP95: ratio(mf.next.msToProfile.p95, cf.next.msToProfile.p95),
  };
  const method = {
    runs: RUNS,
    cpuRuns: CPU_RUNS,
    sessions: SESSIONS,
    throttle: THROTTLE,
    sessionPages: SESSION_PAGES,
    pageMs: PAGE_MS,
    settleMs: SETTLE_MS,
  };
  const json = {
    at: new Date().toISOString(),
    chromium: browser.version(),
    method,
    paths,
    speedupVsModelFirst,
    wasmRuntime,
  };

  console.log(
    `\nFirst visit: a product page, then the next page (${RUNS} cold runs per path; ms from navigation start)`,
  );
  console.table(
    PATHS.flatMap((p) =>
      (['cold', 'next'] as const).map((page) => {
        const m = paths[p][page].msToProfile;
        const v = paths[p][page];
        return {
          path: p,
          page,
          'ms to profile p50': m.p50,
          p95: m.p95,
          min: m.min,
          max: m.max,
          failed: m.failed,
          'load event p50': v.loadMs.p50,
          'worker requested p50': v.workerRequestedMs.p50,
        };
      }),
    ),
  );
  console.log('Bytes transferred before the profile is persisted (median of the runs; portrait = all kinds but other)');
  console.table(
    PATHS.flatMap((p) =>
      (['cold', 'next'] as const).map((page) => ({ path: p, page, ...paths[p][page].bytesToProfile })),
    ),
  );
  // --cpu-runs 0 samples nothing: a table of empty percentiles would read as a measurement.
  if (CPU_RUNS === 0) console.log('Worker CPU ms per page view: not measured (--cpu-runs 0)');
  else {
    console.log(
      `Worker CPU ms per page view (V8 profiler, busy samples from worker start to ${SETTLE_MS / 1000} s after the profile; ${CPU_RUNS} runs)`,
    );
    console.table(
      PATHS.map((p) => {
        const c = paths[p].workerCpuMs;
        return {
          path: p,
          'first page p50': c.first.p50,
          'next page p50': c.next.p50,
          'all views p50': c.perPageView.p50,
        };
      }),
    );
  }
  console.log(
    `Throttled (${THROTTLE.bitsPerSecond / 1e6} Mbit/s, ${THROTTLE.latencyMs} ms): ${SESSION_PAGES}-page sessions, ${PAGE_MS / 1000} s per page`,
  );
  console.table(
    PATHS.map((p) => {
      const t = paths[p].throttled;
      return {
        path: p,
        sessions: t.sessions,
        complete: t.complete,
        '%': t.completePercent,
        'pages complete per session': t.detail.map((d) => d.pages.filter((x) => x.complete).length).join(', '),
      };
    }),
  );
  console.log(
    `Catalogue-first vs model-first: cold p95 ${speedupVsModelFirst.coldP95}x faster, p50 ${speedupVsModelFirst.coldP50}x, next page p95 ${speedupVsModelFirst.nextP95}x`,
  );
  if (wasmRuntime)
    console.log(
      `WASM-only runtime ${wasmRuntime.file} as served: ${wasmRuntime.bytes} B, gzip ${wasmRuntime.gzip} B, brotli ${wasmRuntime.br} B`,
    );
  const out = join(repo, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'first-visit.json'), `${JSON.stringify(json, null, 2)}\n`);
  log(`wrote ${join(out, 'first-visit.json')}`);
} finally {
  await browser.close();
  await shop.close();
}
