import type { Page, Request } from '@playwright/test';
import { start } from '../engine/scenario.ts';
import { expect, SCENARIO_URL, test } from '../fixtures.ts';

// No ':'-initial text and no exact score tie: there transformers.js' tokenizer gives other ids.
const TITLES = [
  'WHITE HANGING HEART T-LIGHT HOLDER',
  'red retro spot tea cup and saucer',
  'JAZZ HEARTS PURSE NOTEBOOK',
  'trail running shoes, waterproof',
  'Crème brûlée à la française',
  'I love pizza 🍕',
  '東京 mixed with English 123',
  'stainless steel chef knife 20cm',
  'organic green tea 50 bags',
  'kids lego city fire station',
];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
}

interface WasmFetch {
  url: string;
  bytes: number;
}

/** Every model file the page and its workers fetched, with the bytes of its decoded body. */
function modelFetches(page: Page): WasmFetch[] {
  const seen: WasmFetch[] = [];
  page.context().on('requestfinished', (r: Request) => {
    if (!new URL(r.url()).pathname.startsWith('/models/')) return;
    void r
      .response()
      .then((res) => res?.body())
      .then((b) => seen.push({ url: r.url(), bytes: b?.length ?? 0 }));
  });
  return seen;
}

type Progress = { loaded: number; total: number };

/** Every .wasm the page and its workers fetched, with the bytes of its body. */
function wasmFetches(page: Page): WasmFetch[] {
  const seen: WasmFetch[] = [];
  page.context().on('requestfinished', (r: Request) => {
    if (!new URL(r.url()).pathname.endsWith('.wasm')) return;
    void r.sizes().then((s) => seen.push({ url: r.url(), bytes: s.responseBodySize }));
  });
  return seen;
}

test.describe.configure({ timeout: 180_000 });

test('the engine on a device without a WebGPU adapter fetches only the WASM-only runtime (~14 MB), never the asyncify one', async ({
  page,
}) => {
  const fetched = wasmFetches(page);
  const models = modelFetches(page);
  await start(page);
  const status = await page.evaluate(() => window.engine.status());
  expect(status).toMatchObject({ ok: true, value: { model: { state: 'ready', backend: 'wasm' } } });
  await expect.poll(() => fetched.length).toBeGreaterThan(0);
  console.log(`wasm fetched: ${JSON.stringify(fetched)}`);
  expect(fetched).toHaveLength(1);
  const [only] = fetched;
  expect(only?.url).toMatch(/\/portrait\/assets\/ort-wasm-simd-threaded-[\w-]+\.wasm$/);
  expect(only?.bytes).toBeGreaterThan(10_000_000);
  expect(only?.bytes).toBeLessThan(16_000_000);

  // The download bar's total, from the first progress event, is what the device then fetched:
  // every model file plus the runtime .wasm (raw sizes; the demo and this server send them whole).
  const progress = (await page.evaluate(() => window.engineEvents))
    .filter((e): e is { type: 'progress'; progress: Progress } => (e as { type: string }).type === 'progress')
    .map((e) => e.progress);
  await expect.poll(() => models.length).toBe(5);
  console.log(`model files fetched: ${JSON.stringify(models)}; first progress ${JSON.stringify(progress[0])}`);
  const wasmBytes = (await (await page.request.get(only?.url ?? '')).body()).length;
  expect(progress[0]?.total).toBe(models.reduce((s, f) => s + f.bytes, 0) + wasmBytes);
  for (const p of progress) {
    expect(p.total).toBe(progress[0]?.total);
    expect(p.loaded).toBeLessThanOrEqual(p.total);
  }
  expect(progress.at(-1)?.loaded).toBe(progress[0]?.total);
});

test('the direct WASM-only path gives the vectors transformers.js gives on WASM (int8, cosine >= 0.9999)', async ({
  context,
}) => {
  const open = async () => {
    const p = await context.newPage();
    await p.goto(`${SCENARIO_URL}/runtime-wasm-only/index.html`);
    await expect(p.locator('#status')).toHaveText('ready');
    return p;
  };
  // One page per runtime: each keeps its onnxruntime environment per page.
  const direct = await (await open()).evaluate((t) => window.directVectors(t), TITLES);
  const viaPipeline = await (await open()).evaluate((t) => window.pipelineVectors(t), TITLES);
  const cosines = TITLES.map((_, i) => cosine(direct[i] ?? [], viaPipeline[i] ?? []));
  console.log(`cosine direct vs pipeline: min ${Math.min(...cosines).toFixed(7)}`);
  for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.9999);
});
