import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosine } from '@portrait/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../data/load-dataset.ts';
import { configSet, paramGrid } from '../recommenders/configs.ts';
import { prepare } from '../run/prepare.ts';
import { runEval } from '../run/run-eval.ts';
import { collectorImport } from './collector-import.ts';
import { readImportedVectors } from './imported-vectors.ts';
import { realEmbedder } from './real-encoder.ts';

// Read in place from the workspace's sibling shared/ folder, never copied into the repo.
const RETAIL = join(
  dirname(fileURLToPath(import.meta.url)),
  ...['..', '..', '..', '..', '..', 'shared', 'datasets', 'online-retail-dev'],
);
const USERS = 30;

const tmp = mkdtempSync(join(tmpdir(), 'portrait-eval-import-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('pnpm eval with item vectors from the collector import (real import CLI, real USE-Lite int8, onnxruntime-node)', () => {
  it(`gives the numbers of the eval's own vectors on online-retail-dev (${USERS} users): |dHR@20| <= 0.001 on every row`, async () => {
    expect(
      existsSync(join(RETAIL, 'items.jsonl')),
      `the retail data set is missing: expected ${RETAIL}/items.jsonl (see /work/shared/datasets)`,
    ).toBe(true);
    const ds = await loadDataset(RETAIL);
    const out = join(tmp, 'catalogue');
    await collectorImport(ds, out, () => {});
    const imported = await readImportedVectors(out);
    expect(imported.vectors.size).toBe(ds.items.length);

    const embedder = await realEmbedder('use-lite');
    try {
      const cacheDir = join(tmp, 'cache');
      const configs = configSet(paramGrid().slice(0, 2), [0.03, 0.1]);
      const base = { cacheDir, seed: 1, configs, maxUsers: USERS };
      // The same item, the same space: each shard vector against the one the eval embeds itself.
      const own = await prepare(ds, embedder, base);
      const fromImport = await prepare(ds, embedder, { ...base, itemVectors: imported });
      expect(fromImport.itemVectors).toMatchObject({ fromImport: ds.items.length, embedded: 0, textsMatch: true });
      expect(fromImport.cache.computed + fromImport.cache.hits).toBe(0);
      const { dim, matrix } = own.ctx.catalogue;
      const cosines = ds.items.map((_, i) =>
        cosine(
          matrix.subarray(i * dim, (i + 1) * dim),
          fromImport.ctx.catalogue.matrix.subarray(i * dim, (i + 1) * dim),
        ),
      );
      expect(Math.min(...cosines)).toBeGreaterThanOrEqual(0.999);

      const opts = { target: 'all' as const, warmup: 1, folds: 3, seed: 1, lagPairs: 5, cacheDir, configs };
      const a = await runEval(ds, embedder, { ...opts, maxUsers: USERS });
      const b = await runEval(ds, embedder, { ...opts, maxUsers: USERS, itemVectors: imported });
      expect(b.itemVectors?.version).toBe(imported.version);
      expect(b.targets).toBe(a.targets);
      expect(b.configs.map((c) => c.name)).toEqual(a.configs.map((c) => c.name));
      const deltas = a.configs.map((c, i) => Math.abs(c.overall['HR@20'] - (b.configs[i]?.overall['HR@20'] ?? -1)));
      console.log(
        `shard vs own item vectors: min cosine ${Math.min(...cosines).toFixed(6)}; max |dHR@20| ${Math.max(...deltas).toFixed(4)} over ${a.configs.length} rows, ${a.targets} targets`,
      );
      for (const d of deltas) expect(d).toBeLessThanOrEqual(0.001);
    } finally {
      await embedder.dispose();
    }
    // ~95 s on an idle 2-core machine (the import embeds 3,659 titles; two replays); several times that under load.
  }, 600_000);
});

describe('readImportedVectors', () => {
  it('refuses a folder that is not an import, naming its manifest', async () => {
    await expect(readImportedVectors(join(tmp, 'nothing-here'))).rejects.toThrow(
      /nothing-here.manifest\.json: not a catalogue import/,
    );
  });
});
