import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  cosine,
  DEFAULT_SIGNAL_PARAMS,
  decodeShard,
  encodeShard,
  itemText,
  MAX_FIELD_CHARS,
  type OrderLine,
  SENSITIVE_TOPICS,
  SHARD_FLAGS,
  seededRandom,
  shardOf,
  topicsHash,
} from '@portrait/core';
import { loadEncoder } from '@portrait/model';
import { fileSource } from '@portrait/model/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogueManifest } from './catalogue.ts';
import {
  catalogueSignals,
  DEFAULT_MODELS_ROOT,
  importCatalogue,
  POPULAR_IDS,
  parseItems,
  shardCount,
} from './catalogue-import.ts';

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
  // Two customers buy the skillet with the espresso machine; one buys shoes next. "gone" is no catalogue item.
  const orders = [
    { order: 'o1', item: 'p2', ts: 1000, customer: 'c1' },
    { order: 'o1', item: 'p4', ts: 1000, customer: 'c1' },
    { order: 'o1', item: 'gone', ts: 1000, customer: 'c1' },
    { order: 'o2', item: 'p1', ts: 2000, customer: 'c1' },
    { order: 'o3', item: 'p2', ts: 3000, customer: 'c2' },
    { order: 'o3', item: 'p4', ts: 3000, customer: 'c2' },
    { order: 'o3', item: 'gone', ts: 3000, customer: 'c2' },
    { order: 'o4', item: 'p1', ts: 4000, customer: 'c2' },
  ];
  await writeFile(join(dir, 'orders.jsonl'), orders.map((o) => JSON.stringify(o)).join('\n'));
  manifest = await importCatalogue({
    itemsPath: join(dir, 'items.jsonl'),
    outDir: join(dir, 'cat'),
    shards: 4,
    ordersPath: join(dir, 'orders.jsonl'),
  });
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('parseItems', () => {
  it('keeps a description as the device keeps it: trimmed, cut to MAX_FIELD_CHARS', () => {
    const long = ` ${'x'.repeat(MAX_FIELD_CHARS + 50)}`;
    const lines = [
      { id: 'a', title: 'Goggles', description: long },
      { id: 'b', title: 'Mug', description: '  ' },
    ];
    const { items } = parseItems(lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(items[0]?.description).toBe('x'.repeat(MAX_FIELD_CHARS));
    expect(items[1]).toEqual({ id: 'b', title: 'Mug' });
  });
});

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

  it("writes the order log's signals into the shards, catalogue items only", async () => {
    const shard = decodeShard(new Uint8Array(await readFile(join(dir, 'cat', manifest.version, '0.bin'))));
    expect(shard.ok).toBe(true);
    if (!shard.ok) return;
    expect(shard.signals.get('p2')?.together.map((n) => n.id)).toEqual(['p4']);
    expect(shard.signals.get('p2')?.next.map((n) => n.id)).toEqual(['p1']);
    expect(shard.signals.get('p2')?.next[0]?.weight).toBe(1);
    expect(shard.signals.get('p3')).toEqual({ popularity: 0, recentPopularity: 0, next: [], together: [] });
    expect(manifest.signals).toMatchObject({ orders: 4, lines: 8, skipped: 0, withNeighbours: 2 });
    expect(manifest.popular?.slice().sort()).toEqual(['p1', 'p2', 'p4']);
    // Nobody bought a catalogue item twice ("gone" is no catalogue item, so not counted).
    expect(manifest.repeatShare).toBe(0);
    expect(manifest.version).toMatch(/-s[0-9a-f]+$/);
  });

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

describe("the shop's repeat share", () => {
  it("is published from returning customers' orders, to two decimals, and absent without a customer key", () => {
    const lines = [
      { order: 'o1', item: 'a', ts: 1, session: 'c1' },
      { order: 'o1', item: 'b', ts: 1, session: 'c1' },
      { order: 'o2', item: 'a', ts: 2, session: 'c1' },
      { order: 'o2', item: 'c', ts: 2, session: 'c1' },
      { order: 'o3', item: 'a', ts: 3, session: 'c2' },
      // Not in the catalogue: no part of the share either.
      { order: 'o4', item: 'gone', ts: 4, session: 'c2' },
      { order: 'o5', item: 'gone', ts: 5, session: 'c2' },
    ];
    const ids = ['a', 'b', 'c'];
    // c1's second order: a again, c new (c2's first order and its "gone" orders do not count).
    expect(catalogueSignals(ids, lines).repeatShare).toBe(0.5);
    expect(
      catalogueSignals(
        ids,
        lines.map(({ order, item, ts }) => ({ order, item, ts })),
      ).repeatShare,
    ).toBeUndefined();
  });
});

describe('shard size with signals', () => {
  // A 64-item shard (the fewest a shard holds) of the bundled model's 512 dimensions, 10-byte ids,
  // every item with the default top-N of both kinds: what a device downloads per shard at most.
  it('stays small: bytes per item and per 64-item shard, raw and gzipped', () => {
    const rand = seededRandom(7);
    const ids = Array.from({ length: 2000 }, (_, i) => `SKU-${String(i).padStart(6, '0')}`);
    const lines: OrderLine[] = [];
    for (let o = 0; o < 20_000; o++) {
      const basket = Array.from({ length: 4 }, () => ids[Math.floor(rand() ** 2 * ids.length)] as string);
      for (const item of basket) lines.push({ order: `o${o}`, item, ts: o * 60_000, session: `c${o % 500}` });
    }
    const { byItem, popular } = catalogueSignals(ids, lines);
    expect(popular).toHaveLength(POPULAR_IDS);
    const first = ids.slice(0, 64);
    const vector = () => Float32Array.from({ length: 512 }, () => rand() - 0.5);
    const plain = encodeShard(
      first.map((id) => ({ id, vector: vector() })),
      512,
    );
    const records = first.map((id) => ({ id, vector: vector(), signals: byItem.get(id) }));
    const full = encodeShard(records, 512);
    const top = DEFAULT_SIGNAL_PARAMS.topN;
    expect(records.every((r) => r.signals?.next.length === top && r.signals.together.length === top)).toBe(true);
    const perItem = (full.length - plain.length) / 64;
    // 4 bytes + 2 x top-N x (1 + 10 + 1).
    expect(perItem).toBe(4 + 2 * top * 12);
    const gz = gzipSync(full).length;
    console.log(
      `64-item shard: ${plain.length} B without signals, ${full.length} B with (${perItem} B/item more), ${gz} B gzipped`,
    );
    expect(full.length).toBeLessThan(50_000);
    expect(gz).toBeLessThan(45_000);
  });
});
