import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSet, paramGrid } from '../recommenders/configs.ts';
import { adaptationLag } from '../run/adaptation-lag.ts';
import { prepare } from '../run/prepare.ts';
import { driftDataset } from './drift-dataset.ts';
import { hashEmbedder } from './hash-embedder.ts';

describe('synthetic drifting interests (hash bag-of-words embedder)', () => {
  it('the short-term profile adapts to a new interest faster than the long-term one', async () => {
    // Browsing sessions: views ten minutes apart, a long first interest, then another.
    const { dataset } = driftDataset({
      users: 24,
      before: 12,
      after: 8,
      itemsPerStep: 2,
      gapMs: 600_000,
      seed: 3,
      type: 'view',
    });
    const defaults = paramGrid().filter((p) => p.isDefault);
    const configs = configSet(defaults, [0.1]);
    const { ctx, histories } = await prepare(dataset, hashEmbedder(), {
      cacheDir: mkdtempSync(join(tmpdir(), 'portrait-eval-cache-')),
      seed: 1,
      configs,
    });
    const lag = adaptationLag(ctx, histories, { pairs: 10, seed: 1 });
    const lagOf = (name: string) => lag.lag[configs.scorers.findIndex((s) => s.name.startsWith(name))] as number;
    expect(lag.pairs).toBe(10);
    const short = lagOf('portrait short');
    const long = lagOf('portrait long');
    expect(short).toBeLessThan(long);
    expect(short).toBeLessThanOrEqual(3);
  });
});
