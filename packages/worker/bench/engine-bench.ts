// `pnpm --filter @portrait/worker bench`: the engine in real Chromium, per backend. Prints a table
// and writes bench-results/engine.json. Numbers, not pass/fail: targets live in the issue.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { createServer } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const PORT = 5179;
const BASE_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const words = [
  'trail',
  'road',
  'kitchen',
  'garden',
  'coffee',
  'baby',
  'office',
  'gaming',
  'audio',
  'pet',
  'hiking',
  'beauty',
];
const things = [
  'shoes',
  'jacket',
  'pan',
  'grinder',
  'stroller',
  'chair',
  'headset',
  'speaker',
  'leash',
  'boots',
  'serum',
  'trowel',
];
let n = 0;
const text = () => `${words[n % 12]} ${things[(n * 7) % 12]} model ${n++}`;
const event = (title: string) => ({
  id: `b${n}-${Math.random()}`,
  type: 'view',
  ts: Date.now(),
  product: { id: title, title },
});

async function engineRun(page: Page, backend: 'wasm' | 'webgpu') {
  await page.goto(`http://localhost:${PORT}/engine/index.html`);
  await page.waitForFunction(() => 'engine' in window);
  const t0 = Date.now();
  await page.evaluate(async (b) => {
    await window.engine.init({ modelBaseUrl: '/models/', backend: b, dbName: `bench-${b}` });
  }, backend);
  await page.waitForFunction(
    async () => {
      const s = await window.engine.status();
      return s.ok && (s.value.model.state === 'ready' || s.value.model.state === 'error');
    },
    undefined,
    { timeout: 120_000, polling: 200 },
  );
  const status = await page.evaluate(() => window.engine.status());
  const model = status.ok ? status.value.model : undefined;
  const one = async (titles: string[]) =>
    page.evaluate(async (evs) => {
      const s = performance.now();
      await window.engine.ingest(evs);
      return performance.now() - s;
    }, titles.map(event));
  const missTitles = Array.from({ length: 60 }, text);
  const miss: number[] = [];
  for (const t of missTitles) miss.push(await one([t]));
  const hit: number[] = [];
  for (const t of missTitles) hit.push(await one([t]));
  const burstTitles = Array.from({ length: 10 }, () => Array.from({ length: 50 }, text));
  const b0 = performance.now();
  for (const burst of burstTitles) await one(burst);
  const burstSec = (performance.now() - b0) / 1000;
  const more = Array.from({ length: 1000 - 620 }, text);
  for (let i = 0; i < more.length; i += 50) await one(more.slice(i, i + 50));
  const worker = page.workers()[0];
  const heap = worker
    ? await worker.evaluate(
        () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null,
      )
    : null;
  return {
    backend: model?.backend ?? backend,
    reason: model?.reason,
    modelLoadMs: model?.loadMs,
    initToReadyMs: Date.now() - t0,
    missP50: pct(miss.slice(5), 50),
    missP95: pct(miss.slice(5), 95),
    hitP50: pct(hit, 50),
    hitP95: pct(hit, 95),
    burstEventsPerSec: 500 / burstSec,
    workerJsHeapMB: heap === null ? null : heap / 2 ** 20,
  };
}

async function naiveRun(page: Page) {
  await page.goto(`http://localhost:${PORT}/engine/naive.html`);
  await page.waitForFunction(() => 'naive' in window);
  await page.evaluate(() => window.naive.ready);
  const titles = Array.from({ length: 10 }, () => Array.from({ length: 50 }, text)).flat();
  const ms = await page.evaluate((t) => window.naive.run(t), titles);
  return { eventsPerSec: titles.length / (ms / 1000) };
}

const server = await createServer({
  configFile: join(repo, 'e2e', 'vite.config.ts'),
  server: { port: PORT, strictPort: true },
  logLevel: 'error',
});
await server.listen();
const executablePath = process.env.PORTRAIT_CHROMIUM ?? '/usr/bin/chromium';
const results: Record<string, unknown> = {};
try {
  for (const backend of ['wasm', 'webgpu'] as const) {
    const browser = await chromium.launch({
      executablePath,
      args: backend === 'webgpu' ? [...BASE_ARGS, '--enable-unsafe-webgpu'] : BASE_ARGS,
    });
    const page = await (await browser.newContext()).newPage();
    results[backend] = await engineRun(page, backend);
    if (backend === 'wasm') results.naive = await naiveRun(await (await browser.newContext()).newPage());
    await browser.close();
  }
} finally {
  await server.close();
}
const wasm = results.wasm as Awaited<ReturnType<typeof engineRun>>;
const naive = results.naive as { eventsPerSec: number };
results.speedupVsNaive = wasm.burstEventsPerSec / naive.eventsPerSec;
results.note = 'webgpu runs on the SwiftShader software adapter here: its timings are not meaningful';
results.machine = { cores: (await import('node:os')).cpus().length, chromium: executablePath };

console.log('\nEngine (event → persisted profile), Chromium on this machine');
console.table(
  (['wasm', 'webgpu'] as const).map((b) => {
    const r = results[b] as Awaited<ReturnType<typeof engineRun>>;
    return {
      backend: r.backend,
      'model load ms': Math.round(r.modelLoadMs ?? 0),
      'miss p50 ms': r.missP50.toFixed(1),
      'miss p95 ms': r.missP95.toFixed(1),
      'hit p50 ms': r.hitP50.toFixed(1),
      'hit p95 ms': r.hitP95.toFixed(1),
      'burst events/s': r.burstEventsPerSec.toFixed(0),
      'worker JS heap MB': r.workerJsHeapMB?.toFixed(1) ?? 'n/a',
    };
  }),
);
console.log(
  `naive baseline (one pipeline call per event, WASM): ${naive.eventsPerSec.toFixed(1)} events/s; engine ${String((results.speedupVsNaive as number).toFixed(1))}x`,
);
mkdirSync(join(repo, 'bench-results'), { recursive: true });
writeFileSync(join(repo, 'bench-results', 'engine.json'), `${JSON.stringify(results, null, 2)}\n`);
