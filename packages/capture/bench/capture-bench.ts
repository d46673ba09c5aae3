// `pnpm bench` for the tag: main-thread cost per captured event, long tasks during load, a
// 200-event burst and the model load, in real Chromium; and the tag's gzipped size next to the
// anchors' browser bundles from their npm packages. Prints a table, writes bench-results/capture.json.
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@portrait/fixtures/chromium';
import { benchPage } from './bench-page.ts';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const repo = join(pkg, '..', '..');
const require = createRequire(join(pkg, 'package.json'));
const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

// --- sizes -------------------------------------------------------------------------------------
const tagFile = join(pkg, 'dist', 'portrait.js');
if (!existsSync(tagFile)) throw new Error('build the tag first: pnpm --filter @portrait/capture build');
const anchors: [string, string[]][] = [
  ['@snowplow/browser-tracker', ['dist/index.umd.min.js', 'dist/index.umd.js']],
  ['@segment/analytics-next', ['dist/umd/standalone.js']],
  ['posthog-js', ['dist/array.js']],
];
const sizes: { name: string; file: string; bytes: number; gzip: number }[] = [
  { name: 'portrait (this tag)', file: 'dist/portrait.js', bytes: statSync(tagFile).size, gzip: gz(tagFile) },
];
for (const [name, candidates] of anchors) {
  try {
    const root = dirname(require.resolve(`${name}/package.json`));
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    const rel = candidates.find((c) => existsSync(join(root, c)));
    if (!rel) throw new Error('no browser bundle found');
    const file = join(root, rel);
    sizes.push({ name: `${name}@${version}`, file: rel, bytes: statSync(file).size, gzip: gz(file) });
  } catch (err) {
    console.warn(`${name}: not measured (${(err as Error).message})`);
  }
}

// --- a static server with cross-origin isolation (fine-grained timers) ----------------------------
const roots: [string, string][] = [
  ['/portrait/models/', join(repo, 'packages', 'model', 'dist', 'models')],
  ['/portrait/', join(pkg, 'dist')],
  ['/portrait/', join(repo, 'packages', 'worker', 'dist')],
];
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.html': 'text/html',
};
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/'));
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-embedder-policy', 'require-corp');
  if (path === '/with-tag.html' || path === '/baseline.html') {
    res.setHeader('content-type', 'text/html');
    res.end(benchPage(path === '/with-tag.html'));
    return;
  }
  for (const [prefix, dir] of roots) {
    if (!path.startsWith(prefix)) continue;
    const file = join(dir, path.slice(prefix.length));
    if (file.startsWith(dir) && existsSync(file) && statSync(file).isFile()) {
      res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
      createReadStream(file).pipe(res);
      return;
    }
  }
  res.statusCode = 404;
  res.end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });

type Stats = { p50: number; p95: number; n: number };
type PageResult = {
  isolated: boolean;
  perEvent: Record<string, Stats>;
  phases: Record<string, { longTasks: number; longTaskMs: number; tagScriptMs: number; tagScripts: unknown[] }>;
  model?: string;
};

async function run(withTag: boolean): Promise<PageResult> {
  const page = await browser.newPage();
  await page.goto(`${origin}/${withTag ? 'with-tag' : 'baseline'}.html`);
  await page.waitForLoadState('load');
  await page.waitForTimeout(3_000);
  const result = (await page.evaluate(async (tag) => {
    const w = window as unknown as {
      __phases: Record<string, [number, number]>;
      __measure: (kind: string, fn: (i: number) => void, n: number) => number[];
      __burst: (n: number) => Promise<void>;
      portrait: (...a: unknown[]) => Promise<{ model: { state: string } } | undefined>;
    };
    w.__phases.load = [0, performance.now()];
    const perEvent: Record<string, number[]> = {};
    const links = document.querySelectorAll('a');
    const dl = (window as unknown as { dataLayer: unknown[] }).dataLayer;
    perEvent['product link click (auto-capture)'] = w.__measure(
      'click',
      (i) => (links[i] as HTMLElement).click(),
      1000,
    );
    perEvent['GA4 add_to_cart dataLayer.push'] = w.__measure(
      'push',
      (i) =>
        dl.push({
          event: 'add_to_cart',
          ecommerce: { items: [{ item_id: `SKU-${i}`, item_name: `Item ${i}`, price: i }] },
        }),
      1000,
    );
    perEvent["portrait('track', …)"] = w.__measure(
      'track',
      (i) => void w.portrait?.('track', 'like', { product: { id: `P-${i}`, title: `Product ${i}` } }),
      1000,
    );
    await new Promise((r) => setTimeout(r, 3_000));
    const b0 = performance.now();
    await w.__burst(200);
    await new Promise((r) => setTimeout(r, 3_000));
    w.__phases.burst = [b0, performance.now()];
    let model: string | undefined;
    if (tag) {
      const m0 = performance.now();
      for (let i = 0; i < 120; i++) {
        const s = await w.portrait('status');
        model = s?.model.state;
        if (model === 'ready' || model === 'error' || model === 'deferred') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      w.__phases.model = [m0, performance.now()];
    }
    return { perEvent, model, isolated: crossOriginIsolated };
  }, withTag)) as { perEvent: Record<string, number[]>; model?: string; isolated: boolean };
  const phases = await page.evaluate(() => {
    const w = window as unknown as {
      __phases: Record<string, [number, number]>;
      __lt: { start: number; dur: number }[];
      __loaf: { start: number; dur: number; scripts: { src: string; dur: number }[] }[];
    };
    const out: Record<string, { longTasks: number; longTaskMs: number; tagScriptMs: number; tagScripts: unknown[] }> =
      {};
    for (const [name, [a, b]] of Object.entries(w.__phases)) {
      const lts = w.__lt.filter((t) => t.start >= a && t.start < b);
      // Long animation frames name the scripts that ran in them: the tag's share, and where.
      const tagScripts = w.__loaf
        .filter((f) => f.start >= a && f.start < b)
        .flatMap((f) => f.scripts.filter((s) => s.src.includes('/portrait/')));
      out[name] = {
        longTasks: lts.length,
        longTaskMs: Math.round(lts.reduce((s, t) => s + t.dur, 0)),
        tagScriptMs: Math.round(tagScripts.reduce((sum, s) => sum + s.dur, 0)),
        tagScripts,
      };
    }
    return out;
  });
  await page.close();
  const stats = (xs: number[]): Stats => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0) * 1000) / 1000;
    return { p50: q(0.5), p95: q(0.95), n: s.length };
  };
  return {
    isolated: result.isolated,
    perEvent: Object.fromEntries(Object.entries(result.perEvent).map(([k, v]) => [k, stats(v)])),
    phases,
    ...(result.model ? { model: result.model } : {}),
  };
}

try {
  const baseline = await run(false);
  const tag = await run(true);
  console.log(
    `\nCapture: main-thread time per event, ms (Performance marks, 1,000 events each; cross-origin isolated: ${tag.isolated})`,
  );
  console.table(
    Object.keys(tag.perEvent).map((k) => ({
      event: k,
      'p50 with tag': tag.perEvent[k]?.p50,
      'p95 with tag': tag.perEvent[k]?.p95,
      'p50 no tag': baseline.perEvent[k]?.p50,
      'p95 no tag': baseline.perEvent[k]?.p95,
    })),
  );
  console.log(
    `Long tasks (>50 ms) on the main thread; tag script time from long-animation-frame attribution (model: ${tag.model})`,
  );
  console.table(
    Object.entries(tag.phases).map(([phase, v]) => ({
      phase,
      'long tasks': v.longTasks,
      'long task ms': v.longTaskMs,
      'portrait.js ms in long frames': v.tagScriptMs,
      'long tasks, no tag': baseline.phases[phase]?.longTasks ?? '-',
    })),
  );
  console.log('Tag size (gzip -9) beside the anchors’ published browser bundles');
  console.table(sizes.map((s) => ({ tag: s.name, file: s.file, bytes: s.bytes, 'gzip bytes': s.gzip })));
  const out = join(repo, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'capture.json'),
    `${JSON.stringify({ at: new Date().toISOString(), chromium: browser.version(), sizes, withTag: tag, baseline }, null, 2)}\n`,
  );
  console.log(`wrote ${join(out, 'capture.json')}`);
} finally {
  await browser.close();
  server.close();
}
