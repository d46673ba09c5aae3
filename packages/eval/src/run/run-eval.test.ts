import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/load-dataset.ts';
import { MODELS_DIR, realEmbedder } from '../embed/real-encoder.ts';
import { configSet, paramGrid } from '../recommenders/configs.ts';
import { markdownReport } from '../report/markdown.ts';
import { svgChart } from '../report/svg-chart.ts';
import { driftDataset, toJsonl } from '../synthetic/drift-dataset.ts';
import { runEval } from './run-eval.ts';

const METRIC_KEYS = ['HR@5', 'HR@10', 'HR@20', 'NDCG@10', 'MRR'];

describe('pnpm eval end to end on a tiny synthetic set (real USE-Lite int8 on onnxruntime-node)', () => {
  it('writes the contract report, is deterministic for a seed, and caches embeddings', async () => {
    expect(existsSync(join(MODELS_DIR, 'use-lite', 'manifest.json')), 'run pnpm --filter @portrait/model build').toBe(
      true,
    );
    const { dataset } = driftDataset({ users: 12, before: 3, after: 3, itemsPerStep: 2, gapMs: 86_400_000, seed: 5 });
    const dir = mkdtempSync(join(tmpdir(), 'portrait-eval-data-'));
    const { items, events } = toJsonl(dataset);
    writeFileSync(join(dir, 'items.jsonl'), items);
    writeFileSync(join(dir, 'events.jsonl.gz'), gzipSync(events));
    const ds = await loadDataset(dir);
    const cacheDir = mkdtempSync(join(tmpdir(), 'portrait-eval-cache-'));
    const logs: string[] = [];
    const opts = {
      target: 'all' as const,
      warmup: 1,
      folds: 3,
      seed: 7,
      lagPairs: 4,
      cacheDir,
      configs: configSet(paramGrid().slice(0, 2), [0.05, 0.2]),
      log: (l: string) => logs.push(l),
    };
    const embedder = await realEmbedder('use-lite');
    try {
      const a = await runEval(ds, embedder, opts);
      const b = await runEval(ds, embedder, { ...opts, maxUsers: 100 });
      expect(logs[0]).toMatch(/0 cached, \d+ computed/);
      expect(logs.find((l, i) => i > 0 && l.startsWith('embedded'))).toMatch(/computed/);
      expect(logs.filter((l) => /[1-9]\d* cached, 0 computed/.test(l))).toHaveLength(1);

      expect(a.users).toBe(12);
      expect(a.targets).toBeGreaterThan(0);
      for (const c of a.configs) {
        expect(['baseline-no-text', 'baseline-text', 'portrait', 'reference']).toContain(c.kind);
        for (const seg of [c.overall, c.novel, c.repeat]) {
          for (const k of METRIC_KEYS) expect(seg[k as keyof typeof seg]).toBeGreaterThanOrEqual(0);
        }
        expect(a.adaptationLag[c.name]).toBe(c.adaptationLag);
      }
      const names = a.configs.map((c) => c.name);
      for (const n of [
        'popularity',
        'repeat',
        'last-step similarity',
        'history mean (eta=1/n)',
        'recent popularity, not yet bought',
        'repeat + recent popularity (CV)',
        'portrait blend (CV)',
        'portrait discovery blend (CV on novel)',
      ]) {
        expect(names).toContain(n);
      }
      // All slots from one list is that row's own HR@20: the ceiling replays the rows' own lists.
      const c = a.ceiling;
      expect(c).toBeDefined();
      if (c) {
        const row = (name: string) => a.configs.find((x) => x.name === name);
        expect(c.bySplit).toHaveLength(21);
        expect(c.targets).toBe(a.targets);
        expect(c.bySplit[20]).toBeCloseTo(row(c.first)?.overall['HR@20'] ?? -1, 12);
        expect(c.bySplit[0]).toBeCloseTo(row(c.second)?.overall['HR@20'] ?? -1, 12);
        expect(c.hindsight).toBeGreaterThanOrEqual(Math.max(...c.bySplit));
      }
      expect(markdownReport(a)).toMatch(/each step's best n, chosen in hindsight: \d\.\d{4}/);
      // Same seed, same data: the same numbers (timings aside).
      expect(b.configs).toEqual(a.configs);
      expect(markdownReport(a)).toContain('| popularity | baseline-no-text |');
      expect(svgChart(a)).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    } finally {
      await embedder.dispose();
    }
  }, 60_000);
});
