import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeShard, type ShardSignals } from '@portrait/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorCatalogueDir } from './collector-import.ts';
import { PRODUCTS } from './src/products.ts';

let data = '';
let dir = '';
const signals = new Map<string, ShardSignals>();

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'demo-import-'));
  dir = await collectorCatalogueDir(data);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
    version: string;
    shards: number;
  };
  for (let n = 0; n < manifest.shards; n++) {
    const shard = decodeShard(new Uint8Array(await readFile(join(dir, manifest.version, `${n}.bin`))));
    if (shard.ok) for (const [id, s] of shard.signals) signals.set(id, s);
  }
}, 180_000);
afterAll(() => rm(data, { recursive: true, force: true }));

describe("the demo's collector import (real bundled model, onnxruntime-node)", () => {
  it("writes the synthetic order history's neighbours into the shards for most products", () => {
    const withTogether = PRODUCTS.filter((p) => (signals.get(p.id)?.together.length ?? 0) > 0).length;
    expect(withTogether / PRODUCTS.length).toBeGreaterThan(0.9);
    expect(PRODUCTS.filter((p) => (signals.get(p.id)?.popularity ?? 0) > 0).length).toBe(PRODUCTS.length);
  });

  it('reuses the folder for the same products and order log', async () => {
    expect(await collectorCatalogueDir(data)).toBe(dir);
  });
});
