import { describe, expect, it } from 'vitest';
import { realEmbedder } from './real-encoder.ts';

describe('realEmbedder cache id (real USE-Lite on onnxruntime-node)', () => {
  it('is stable across loads and fingerprints the vectors, not only the dtype name', async () => {
    const a = await realEmbedder('use-lite', 'q8');
    const b = await realEmbedder('use-lite', 'q8');
    const c = await realEmbedder('use-lite', 'fp32');
    try {
      expect(a.id).toMatch(/^use-lite@q8-[0-9a-f]{12}$/);
      expect(b.id).toBe(a.id);
      expect(c.id.split('-').at(-1)).not.toBe(a.id.split('-').at(-1));
    } finally {
      await Promise.all([a.dispose(), b.dispose(), c.dispose()]);
    }
  }, 60_000);
});
