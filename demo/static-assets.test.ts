import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cacheControl, hashedOutputs, negotiate, staticAssets, viteHashedPaths } from './static-assets.ts';

const YEAR = 'public, max-age=31536000, immutable';

// The worker build's manifest as Vite writes it (trimmed): a fixed-name entry, hashed chunks and assets.
const WORKER_MANIFEST = {
  'src/worker.ts': { file: 'portrait-worker.js', isEntry: true, imports: ['_rolldown-runtime-CEoa-xHZ.js'] },
  '../model/src/index.ts': { file: 'chunks/src-BhYrrhct.js', isDynamicEntry: true },
  'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm': { file: 'assets/ort-wasm-simd-threaded-4byDm7i3.wasm' },
  'onnxruntime-web/dist/ort.wasm.bundle.min.mjs': {
    file: 'chunks/ort.wasm.bundle.min-jsNOZSJ5.js',
    assets: ['assets/ort-wasm-simd-threaded-4byDm7i3.wasm'],
  },
};
const SHOP_MANIFEST = {
  'index.html': { file: 'assets/index-DIFnmn_y.js', isEntry: true, css: ['assets/index-klPgPJHN.css'] },
};

describe('static assets as a production host serves them', () => {
  test('Accept-Encoding: brotli over gzip, q=0 refuses, nothing acceptable means identity', () => {
    expect(negotiate('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiate('gzip, br;q=0')).toBe('gzip');
    expect(negotiate('*')).toBe('br');
    expect(negotiate('identity')).toBe('identity');
    expect(negotiate(undefined)).toBe('identity');
  });

  test("a build's hashed outputs (chunks, assets, css) are immutable for a year; its fixed-name entry revalidates", () => {
    const hashed = new Set([...hashedOutputs(WORKER_MANIFEST, '/portrait/'), ...hashedOutputs(SHOP_MANIFEST, '/')]);
    expect([...hashed].sort()).toEqual([
      '/assets/index-DIFnmn_y.js',
      '/assets/index-klPgPJHN.css',
      '/portrait/assets/ort-wasm-simd-threaded-4byDm7i3.wasm',
      '/portrait/chunks/ort.wasm.bundle.min-jsNOZSJ5.js',
      '/portrait/chunks/src-BhYrrhct.js',
    ]);
    expect(cacheControl('/portrait/assets/ort-wasm-simd-threaded-4byDm7i3.wasm', hashed)).toBe(YEAR);
    expect(cacheControl('/portrait/portrait-worker.js', hashed)).toBe('no-cache');
    expect(cacheControl('/index.html', hashed)).toBe('no-cache');
    expect(cacheControl('/portrait/models/use-lite/onnx/model_quantized.onnx', hashed)).toBe('no-cache');
  });

  test('names that only look hashed revalidate: no build listed them', () => {
    const hashed = new Set(hashedOutputs(WORKER_MANIFEST, '/portrait/'));
    // `-threaded` is 8 word characters before the extension, as a hash would be.
    expect(cacheControl('/portrait/ort-wasm-simd-threaded.wasm', hashed)).toBe('no-cache');
    expect(cacheControl('/p/coffee-12345678.html', hashed)).toBe('no-cache');
    expect(cacheControl('/portrait/chunks/src-AAAAAAAA.js', hashed)).toBe('no-cache');
  });

  describe('served', () => {
    let root = '';
    let base = '';
    let server: ReturnType<typeof createServer>;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'portrait-static-'));
      for (const [folder, manifest] of [
        ['', SHOP_MANIFEST],
        ['portrait', WORKER_MANIFEST],
      ] as const) {
        await mkdir(join(root, folder, '.vite'), { recursive: true });
        await writeFile(join(root, folder, '.vite', 'manifest.json'), JSON.stringify(manifest));
      }
      await mkdir(join(root, 'portrait', 'assets'), { recursive: true });
      await writeFile(join(root, 'portrait', 'assets', 'ort-wasm-simd-threaded-4byDm7i3.wasm'), new Uint8Array(4096));
      await writeFile(join(root, 'portrait', 'ort-wasm-simd-threaded.wasm'), new Uint8Array(4096));
      const plugin = staticAssets(root, await viteHashedPaths(root, ['', 'portrait']));
      let handler: (req: IncomingMessage, res: ServerResponse, next: () => void) => void = () => {};
      const hook = plugin.configurePreviewServer as unknown as (s: unknown) => void;
      hook({ middlewares: { use: (fn: typeof handler) => (handler = fn) } });
      // What comes after the middleware in Vite's preview server serves any file under the root.
      server = createServer((req, res) => handler(req, res, () => res.end('served by the next handler')));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((r) => server.close(r));
      await rm(root, { recursive: true, force: true });
    });

    test('the hashed .wasm comes compressed and immutable, an unhashed copy revalidates, the manifests are not served', async () => {
      const hashed = await fetch(`${base}/portrait/assets/ort-wasm-simd-threaded-4byDm7i3.wasm`, {
        headers: { 'accept-encoding': 'gzip' },
      });
      expect(hashed.headers.get('cache-control')).toBe(YEAR);
      expect(hashed.headers.get('content-encoding')).toBe('gzip');
      expect((await hashed.arrayBuffer()).byteLength).toBe(4096);
      const plain = await fetch(`${base}/portrait/ort-wasm-simd-threaded.wasm`);
      expect(plain.headers.get('cache-control')).toBe('no-cache');
      expect((await fetch(`${base}/portrait/.vite/manifest.json`)).status).toBe(404);
      expect((await fetch(`${base}/.vite/manifest.json`)).status).toBe(404);
    });
  });
});
