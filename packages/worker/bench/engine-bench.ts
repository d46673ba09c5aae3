// `pnpm --filter @portrait/worker bench`: the engine in real Chromium, per backend. Prints a table
// and writes bench-results/engine.json. Numbers, not pass/fail: targets live in the issue.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, WEBGPU_ARGS } from '@portrait/fixtures/chromium';
import { createServer } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const PORT = 5179;

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

/** A browsing session's stream: listing pages re-show popular items (Zipf over 150 items), seeded. */
function sessionStream(total: number): string[] {
  const items = Array.from({ length: 150 }, (_, i) => `${words[i % 12]} ${things[(i * 5) % 12]} item ${i}`);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const weights = items.map((_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: total }, () => {
    let r = rand() * sum;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] as number;
      if (r <= 0) return items[i] as string;
    }
    return items[0] as string;
  });
}
const bursts = (titles: string[]) =>
  Array.from({ length: titles.length / 50 }, (_, i) => titles.slice(i * 50, i * 50 + 50));

async function engineRun(page: Page, backend: 'wasm' | 'webgpu') {
  await page.goto(`http://localhost:${PORT}/engine/index.html`);
  await page.waitForFunction(() => 'engine' in window);
  const t0 = Date.now();
  await page.evaluate(async (b) => {
    await window.engine.init({ modelBaseUrl: '/models/', backend: b, dbName: `bench-${b}` });
  }, backend);
  // Polled from Node: waitForFunction does not await an async predicate.
  for (let state = ''; state !== 'ready'; ) {
    if (Date.now() - t0 > 180_000) throw new Error(`model not ready after 180 s (${state})`);
    await page.waitForTimeout(100);
    state = await page.evaluate(async () => {
      const s = await window.engine.status();
      return s.ok ? s.value.model.state : 'error';
    });
  }
  const initToReadyMs = Date.now() - t0;
  const model = await page.evaluate(async () => {
    const s = await window.engine.status();
    return s.ok ? s.value.model : undefined;
  });
  const one = async (titles: string[]) =>
    page.evaluate(async (evs) => {
      const s = performance.now();
      await window.engine.ingest(evs);
      return performance.now() - s;
    }, titles.map(event));
  const timed = async (list: string[][]) => {
    const started = performance.now();
    for (const burst of list) await one(burst);
    return (list.length * 50) / ((performance.now() - started) / 1000);
  };
  const missTitles = Array.from({ length: 60 }, text);
  const miss: number[] = [];
  for (const t of missTitles) miss.push(await one([t]));
  const hit: number[] = [];
  for (const t of missTitles) hit.push(await one([t]));
  const uniqueEventsPerSec = await timed(bursts(Array.from({ length: 500 }, text)));
  const sessionEventsPerSec = await timed(bursts(sessionStream(500)));
  return {
    backend: model?.backend ?? backend,
    reason: model?.reason,
    modelLoadMs: model?.loadMs,
    initToReadyMs,
    // The first few misses include lazy warm-up inside the runtime.
    missP50: pct(miss.slice(5), 50),
    missP95: pct(miss.slice(5), 95),
    hitP50: pct(hit, 50),
    hitP95: pct(hit, 95),
    uniqueEventsPerSec,
    sessionEventsPerSec,
    eventsIngested: 1120,
  };
}

async function naiveRun(page: Page) {
  await page.goto(`http://localhost:${PORT}/engine/naive.html`);
  await page.waitForFunction(() => 'naive' in window);
  await page.evaluate(() => window.naive.ready);
  // Same warm-up the engine gets (its single-event runs come first), so JIT and runtime start-up
  // are not billed to the baseline.
  await page.evaluate((t) => window.naive.run(t), Array.from({ length: 120 }, text));
  const rate = async (titles: string[]) =>
    titles.length / ((await page.evaluate((t) => window.naive.run(t), titles)) / 1000);
  return {
    uniqueEventsPerSec: await rate(Array.from({ length: 500 }, text)),
    sessionEventsPerSec: await rate(sessionStream(500)),
  };
}

const server = await createServer({
  configFile: join(repo, 'e2e', 'vite.config.ts'),
  server: { port: PORT, strictPort: true },
  logLevel: 'error',
});
await server.listen();
const executablePath = CHROMIUM_PATH;
const results: Record<string, unknown> = {};
try {
  for (const backend of ['wasm', 'webgpu'] as const) {
    const browser = await chromium.launch({
      executablePath,
      args: backend === 'webgpu' ? [...CHROMIUM_ARGS, ...WEBGPU_ARGS] : [...CHROMIUM_ARGS],
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
const naive = results.naive as Awaited<ReturnType<typeof naiveRun>>;
results.vsNaive = {
  unique: wasm.uniqueEventsPerSec / naive.uniqueEventsPerSec,
  session: wasm.sessionEventsPerSec / naive.sessionEventsPerSec,
};
results.note =
  'webgpu runs on the SwiftShader software adapter here: its timings are not meaningful. ' +
  'Worker memory is not measured: Chromium exposes no per-worker heap to pages or workers.';
results.machine = { cores: (await import('node:os')).cpus().length, chromium: executablePath };

console.log('\nEngine (event → persisted profile), Chromium on this machine');
console.table(
  (['wasm', 'webgpu'] as const).map((b) => {
    const r = results[b] as Awaited<ReturnType<typeof engineRun>>;
    return {
      backend: r.backend,
      'model load ms': Math.round(r.modelLoadMs ?? Number.NaN),
      'miss p50 ms': r.missP50.toFixed(1),
      'miss p95 ms': r.missP95.toFixed(1),
      'hit p50 ms': r.hitP50.toFixed(1),
      'hit p95 ms': r.hitP95.toFixed(1),
      'unique events/s': r.uniqueEventsPerSec.toFixed(0),
      'session events/s': r.sessionEventsPerSec.toFixed(0),
    };
  }),
);
const ratio = results.vsNaive as { unique: number; session: number };
console.log(
  `naive baseline (one pipeline call per event, WASM): ${naive.uniqueEventsPerSec.toFixed(0)} events/s on unique texts, ` +
    `${naive.sessionEventsPerSec.toFixed(0)} on the session stream; engine ${ratio.unique.toFixed(1)}x / ${ratio.session.toFixed(1)}x`,
);
mkdirSync(join(repo, 'bench-results'), { recursive: true });
writeFileSync(join(repo, 'bench-results', 'engine.json'), `${JSON.stringify(results, null, 2)}\n`);
