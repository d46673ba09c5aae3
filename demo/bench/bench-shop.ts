import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCollector } from '@portrait/server';
import { build, preview } from 'vite';
import { collectorCatalogueDir } from '../collector-import.ts';
import { staticAssets, viteHashedPaths } from '../static-assets.ts';

const demo = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BenchShop {
  origin: string;
  collector: string;
  /** The built shop folder the bench serves (its own copy, pointing at its own collector). */
  dist: string;
  close(): Promise<void>;
}

/**
 * The demo shop and its collector as `serve.ts` starts them, on free ports of their own: the e2e
 * suite (and other runs on this machine) hold 5173/5174/8787. The shop is built into a temporary
 * folder because the tag's data-collector is written into the pages at build time.
 */
export async function startBenchShop(): Promise<BenchShop> {
  const dist = mkdtempSync(join(tmpdir(), 'portrait-first-visit-'));
  // Filled once the build below has written its manifests; nothing is requested before then.
  const hashed = new Set<string>();
  // Started first, on the empty folder (files are read per request), so its origin is known to
  // the collector's CORS list before the build writes the collector's URL into the pages.
  const shop = await preview({
    root: demo,
    configFile: false,
    logLevel: 'warn',
    build: { outDir: dist },
    preview: { port: 0, host: '127.0.0.1' },
    plugins: [staticAssets(dist, hashed)],
  });
  const origin = `http://127.0.0.1:${(shop.httpServer.address() as AddressInfo).port}`;
  const collector = createCollector({
    dbPath: ':memory:',
    catalogueDir: await collectorCatalogueDir(join(demo, '.data')),
    allowedOrigins: [origin],
    dev: true,
    // Every cold run is a new device syncing from 127.0.0.1: the per-address budget is not what is measured.
    firstSyncPerMinute: 100_000,
    ipPerMinute: 100_000,
  });
  await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
  const collectorUrl = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  const before = process.env.PORTRAIT_COLLECTOR;
  process.env.PORTRAIT_COLLECTOR = collectorUrl;
  try {
    await build({ root: demo, configLoader: 'runner', logLevel: 'warn', build: { outDir: dist, emptyOutDir: true } });
    for (const path of await viteHashedPaths(dist, ['', 'portrait'])) hashed.add(path);
  } finally {
    if (before === undefined) delete process.env.PORTRAIT_COLLECTOR;
    else process.env.PORTRAIT_COLLECTOR = before;
  }
  return {
    origin,
    collector: collectorUrl,
    dist,
    async close() {
      await shop.close();
      await collector.close();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}
