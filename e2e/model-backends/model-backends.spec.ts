import type { Page } from '@playwright/test';
import { expect, SCENARIO_URL, test, WEBGPU_ARGS } from '../fixtures.ts';
import type { BackendRun } from './main.ts';

const TEXTS = [
  'WHITE HANGING HEART T-LIGHT HOLDER',
  'red retro spot tea cup and saucer',
  'Crème brûlée à la française',
  'I love pizza 🍕',
  '東京 mixed with English 123',
];

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
}

/** Loads the scenario page, runs the int8 model on one device, and checks nothing left localhost. */
async function run(page: Page, device: 'wasm' | 'webgpu'): Promise<BackendRun> {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(SCENARIO_URL) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      foreign.push(r.url());
  });
  await page.goto(`${SCENARIO_URL}/model-backends/index.html`);
  await expect(page.locator('#status')).toHaveText('ready');
  const result = await page.evaluate(([d, texts]) => window.runBackend(d, texts), [device, TEXTS] as const);
  if ('error' in result) throw new Error(`runBackend(${device}) failed: ${JSON.stringify(result.error)}`);
  expect(foreign).toEqual([]);
  return result;
}

test.describe.configure({ timeout: 180_000 });

// One browser for both runs, launched with the WebGPU flags on top of the
// config's: the WASM run ignores them, the WebGPU run needs them.
test.use({
  launchOptions: [
    async ({ launchOptions }, use) => use({ ...launchOptions, args: [...(launchOptions.args ?? []), ...WEBGPU_ARGS] }),
    { scope: 'worker' },
  ],
});

test('use-lite int8 runs on onnxruntime-web WASM, single-threaded, all files from localhost', async ({
  page,
  pageErrors,
}) => {
  const r = await run(page, 'wasm');
  expect(r.dim).toBe(512);
  expect(r.runtime.wasmThreads).toBe(1);
  expect(r.gpu.submits).toBe(0);
  expect(r.vectors).toHaveLength(TEXTS.length);
  for (const v of r.vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 4);
  expect(pageErrors).toEqual([]);
});

test('use-lite int8 runs on the WebGPU (SwiftShader) adapter and matches WASM (cosine >= 0.999)', async ({
  context,
}) => {
  // transformers.js and onnxruntime-web keep one environment per page: one page per backend.
  const wasm = await run(await context.newPage(), 'wasm');
  const gpu = await run(await context.newPage(), 'webgpu');
  console.log(`webgpu: ${JSON.stringify({ runtime: gpu.runtime, gpu: gpu.gpu })}`);
  // A silent WASM fallback would neither take an adapter nor submit GPU work while embedding.
  expect(gpu.gpu.adapters.length).toBeGreaterThan(0);
  expect(gpu.gpu.submits).toBeGreaterThan(0);
  const cosines = gpu.vectors.map((v, i) => cosine(v, wasm.vectors[i] ?? []));
  console.log(`cosine webgpu vs wasm: min ${Math.min(...cosines).toFixed(6)}`);
  for (const c of cosines) expect(c).toBeGreaterThanOrEqual(0.999);
});
