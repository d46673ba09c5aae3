import { describe, expect, it } from 'vitest';
import { chooseBackend, downloadDeferral, type RuntimeEnv } from './runtime-env.ts';

const env = (over: Partial<RuntimeEnv> = {}): RuntimeEnv => ({
  webgpu: null,
  crossOriginIsolated: false,
  cores: 8,
  deviceMemory: 8,
  saveData: false,
  effectiveType: '4g',
  indexedDB: true,
  locks: true,
  caches: true,
  ...over,
});

describe('chooseBackend', () => {
  it('uses single-threaded WASM on a storefront page (not cross-origin isolated)', () => {
    expect(chooseBackend(env())).toEqual({
      backend: 'wasm',
      threads: 1,
      reason: 'no WebGPU adapter; not cross-origin isolated: 1 thread',
    });
  });

  it('uses threads only when the page is cross-origin isolated, capped at 4', () => {
    expect(chooseBackend(env({ crossOriginIsolated: true })).threads).toBe(4);
    expect(chooseBackend(env({ crossOriginIsolated: true, cores: 2 })).threads).toBe(2);
  });

  it('prefers a hardware WebGPU adapter but not a software fallback one', () => {
    expect(chooseBackend(env({ webgpu: { fallback: false, vendor: 'x' } })).backend).toBe('webgpu');
    const sw = chooseBackend(env({ webgpu: { fallback: true, vendor: 'google' } }));
    expect(sw.backend).toBe('wasm');
    expect(sw.reason).toContain('software fallback');
  });

  it('honours a forced backend, falling back to WASM with a reason when WebGPU is absent', () => {
    expect(chooseBackend(env({ webgpu: { fallback: true, vendor: '' } }), 'webgpu').backend).toBe('webgpu');
    expect(chooseBackend(env({ webgpu: { fallback: false, vendor: '' } }), 'wasm').backend).toBe('wasm');
    const none = chooseBackend(env(), 'webgpu');
    expect(none).toMatchObject({ backend: 'wasm', reason: expect.stringContaining('no adapter') });
  });
});

describe('downloadDeferral', () => {
  it('defers on Save-Data and skips on low device memory, with the reason', () => {
    expect(downloadDeferral(env(), 2)).toBeUndefined();
    expect(downloadDeferral(env({ saveData: true }), 2)).toContain('Save-Data');
    expect(downloadDeferral(env({ deviceMemory: 1 }), 2)).toContain('deviceMemory 1 GB');
    expect(downloadDeferral(env({ deviceMemory: undefined }), 2)).toBeUndefined();
    expect(downloadDeferral(env({ effectiveType: '3g' }), 2)).toContain('3g connection');
    expect(downloadDeferral(env({ effectiveType: 'slow-2g' }), 2)).toContain('slow-2g');
  });
});
