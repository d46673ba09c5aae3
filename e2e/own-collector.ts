import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { type Collector, createCollector, importCatalogue } from '../packages/server/src/index.ts';
import { SCENARIO_URL, test } from './fixtures.ts';

/**
 * A collector of the spec's own (SQLite in a temp folder, the scenario origin allowed), started
 * before its tests and removed after them; with `catalogue`, the seed products (or the items the
 * function returns, read when the collector starts) imported by the real model.
 */
export function ownCollector(name: string, o: { catalogue?: boolean | (() => readonly object[]) } = {}) {
  let collector: Collector | undefined;
  let url = '';
  let dir = '';
  test.beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `portrait-e2e-${name}-`));
    if (o.catalogue) {
      const items = typeof o.catalogue === 'function' ? o.catalogue() : SEED_PRODUCTS;
      await writeFile(join(dir, 'items.jsonl'), items.map((p) => JSON.stringify(p)).join('\n'));
      // The seed catalogue in two shards as before; any other at the import's default count.
      const shards = typeof o.catalogue === 'function' ? {} : { shards: 2 };
      await importCatalogue({ itemsPath: join(dir, 'items.jsonl'), outDir: join(dir, 'catalogue'), ...shards });
    }
    collector = createCollector({
      dbPath: join(dir, 'collector.db'),
      allowedOrigins: [new URL(SCENARIO_URL).origin],
      ...(o.catalogue ? { catalogueDir: join(dir, 'catalogue') } : {}),
      secret: 'e2e',
      logLevel: 'silent',
    });
    await collector.ready;
    await new Promise<void>((r) => collector?.server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(collector.server.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await collector?.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get url() {
      return url;
    },
    get collector(): Collector {
      if (!collector) throw new Error('the collector starts in beforeAll');
      return collector;
    },
  };
}
