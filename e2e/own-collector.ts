import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_PRODUCTS } from '@portrait/fixtures/seed-products';
import { type Collector, createCollector, importCatalogue } from '../packages/server/src/index.ts';
import { SCENARIO_URL, test } from './fixtures.ts';

/**
 * A collector of the spec's own (SQLite in a temp folder, the scenario origin allowed), started
 * before its tests and removed after them; with `catalogue`, the seed products imported by the
 * real model.
 */
export function ownCollector(name: string, o: { catalogue?: boolean } = {}) {
  let collector: Collector | undefined;
  let url = '';
  let dir = '';
  test.beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `portrait-e2e-${name}-`));
    if (o.catalogue) {
      await writeFile(join(dir, 'items.jsonl'), SEED_PRODUCTS.map((p) => JSON.stringify(p)).join('\n'));
      await importCatalogue({ itemsPath: join(dir, 'items.jsonl'), outDir: join(dir, 'catalogue'), shards: 2 });
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
