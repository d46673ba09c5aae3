import { describe, expect, test } from 'vitest';
import { cacheControl, negotiate } from './static-assets.ts';

describe('static assets as a production host serves them', () => {
  test('Accept-Encoding: brotli over gzip, q=0 refuses, nothing acceptable means identity', () => {
    expect(negotiate('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiate('gzip, br;q=0')).toBe('gzip');
    expect(negotiate('*')).toBe('br');
    expect(negotiate('identity')).toBe('identity');
    expect(negotiate(undefined)).toBe('identity');
  });

  test('hashed names are immutable for a year; HTML, models and the tag entry revalidate', () => {
    expect(cacheControl('/portrait/assets/ort-wasm-simd-threaded-4byDm7i3.wasm')).toBe(
      'public, max-age=31536000, immutable',
    );
    expect(cacheControl('/portrait/chunks/transformers.web-CDNdx6sg.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControl('/index.html')).toBe('no-cache');
    expect(cacheControl('/portrait/portrait-worker.js')).toBe('no-cache');
    expect(cacheControl('/portrait/models/use-lite/onnx/model_quantized.onnx')).toBe('no-cache');
  });
});
