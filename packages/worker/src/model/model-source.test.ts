import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedModelSource } from './model-source.ts';

describe('cachedModelSource', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('downloads past the HTTP cache (tabs fetching one file at once fail there), without credentials', async () => {
    const fetch = vi.fn(async () => new Response(new Uint8Array([1, 2, 3])));
    vi.stubGlobal('fetch', fetch);
    const bytes = await cachedModelSource('https://shop.example/models/', () => {})('use-lite/config.json');
    expect(Array.from(bytes ?? [])).toEqual([1, 2, 3]);
    expect(fetch).toHaveBeenCalledWith('https://shop.example/models/use-lite/config.json', {
      credentials: 'omit',
      cache: 'no-store',
    });
  });
});
