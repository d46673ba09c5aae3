import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosine, decodeShard, itemText, SENSITIVE_TOPICS, SHARD_FLAGS, shardOf, topicsHash } from '@portrait/core';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueManifest } from './catalogue.ts';
import { DEFAULT_MODELS_ROOT, importCatalogue, shardCount } from './catalogue-import.ts';

const ITEMS = [
  { id: 'p1', title: 'Trail running shoes', category: 'Sports > Running' },
  { id: 'p2', title: 'Cast iron skillet', category: 'Home > Kitchen' },
  { id: 'p3', title: 'Early pregnancy test kit, 5 tests', category: 'Health > Tests' },
  { id: 'p4', title: 'Espresso machine with milk frother', category: 'Home > Kitchen' },
  // Two spaces, as in 144 of the retail set's titles: the worker collapses them before embedding.
  { id: 'p5', title: 'WRAP  PINK FLOCK' },
];

let dir = '';
let manifest: CatalogueManifest;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portrait-import-'));
  await writeFile(join(dir, 'items.jsonl'), ITEMS.map((i) => JSON.stringify(i)).join('\n'));
  manifest = await importCatalogue({ itemsPath: join(dir, 'items.jsonl'), outDir: join(dir, 'cat'), shards: 4 });
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('catalogue import (real bundled model, onnxruntime-node)', () => {
  it('writes the sensitive-topic decision per item, for the default topic list', async () => {
    expect(manifest.guard).toMatchObject({ topicsHash: topicsHash(SENSITIVE_TOPICS), sensitive: 1 });
    const shard = decodeShard(new Uint8Array(await readFile(join(dir, 'cat', manifest.version, '0.bin'))));
    expect(shard.ok && [...shard.flags]).toEqual([['p3', SHARD_FLAGS.sensitive]]);
    expect(shard.ok && shard.vectors.size).toBe(ITEMS.length);
  });

  it('publishes the category labels explain() needs, in the items’ vector space', async () => {
    const labels = decodeShard(new Uint8Array(await readFile(join(dir, 'cat', manifest.version, 'labels.bin'))));
    expect(labels.ok && [...labels.vectors.keys()].sort()).toEqual(
      ['Health', 'Health > Tests', 'Home', 'Home > Kitchen', 'Sports', 'Sports > Running'].sort(),
    );
    expect(labels.ok && labels.dim).toBe(manifest.dim);
    expect(manifest.labels).toBe(6);
  });

  it('stores the vector of the text the worker embeds for the item (whitespace collapsed)', async () => {
    const shard = decodeShard(new Uint8Array(await readFile(join(dir, 'cat', manifest.version, '0.bin'))));
    const root = DEFAULT_MODELS_ROOT;
    const encoder = await loadEncoder({ baseUrl: root, modelId: 'use-lite', device: 'cpu', source: fileSource(root) });
    try {
      const [device] = await encoder.embed([itemText(ITEMS[4] as { id: string; title: string })]);
      const [raw] = await encoder.embed(['wrap  pink flock']);
      const stored = shard.ok ? shard.vectors.get('p5') : undefined;
      expect(stored).toBeDefined();
      // int8 storage loses a little; the uncollapsed text would be far off (cosine ~0.956).
      expect(cosine(stored as Float32Array, device as Float32Array)).toBeGreaterThan(0.999);
      expect(cosine(stored as Float32Array, raw as Float32Array)).toBeLessThan(0.99);
    } finally {
      await encoder.dispose();
    }
  }, 60_000);

  it('never makes a shard of fewer than the minimum items: 5 items are one shard', () => {
    expect(manifest.shards).toBe(1);
  });
});

describe('shardCount', () => {
  it('keeps as many shards as asked while each holds at least the minimum, else fewer', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `item-${i}`);
    const n = shardCount(ids, 8, 64);
    expect(n).toBe(8);
    const sizes = new Array(n).fill(0);
    for (const id of ids) sizes[shardOf(id, n)]++;
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(64);
    expect(shardCount(ids, 100, 64)).toBeLessThanOrEqual(15);
    expect(shardCount(ids.slice(0, 100), 8, 64)).toBe(1);
  });
});
