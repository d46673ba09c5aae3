import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.ts';
import { META, META_PER_MODEL } from './meta-keys.ts';

describe('meta keys', () => {
  it('keeps the strings devices already have on disk', () => {
    // A renamed key would silently drop the value on every device that stored it.
    expect(Object.values(META).sort()).toEqual(
      [
        'activeModel',
        'needsRebuild',
        'pendingErasures',
        'pseudoId',
        'sensitiveSkipped',
        'syncEpoch',
        'syncLastPostAt',
        'syncRetryAt',
        'syncToken',
        'webgpuFailed',
      ].sort(),
    );
    expect(META_PER_MODEL.basis('use-lite')).toBe('basis:use-lite');
    expect(META_PER_MODEL.risk('use-lite')).toBe('risk:use-lite');
  });

  it('reads values written under the raw strings of earlier versions', async () => {
    const store = createMemoryStore<{ modelId: string }>();
    const raw = store as unknown as { setMeta(k: string, v: string): Promise<void> };
    await raw.setMeta('pseudoId', 'abc');
    await raw.setMeta('basis:use-lite', 'QkFT');
    expect(await store.getMeta(META.pseudoId)).toBe('abc');
    expect(await store.getMeta(META_PER_MODEL.basis('use-lite'))).toBe('QkFT');
  });
});
