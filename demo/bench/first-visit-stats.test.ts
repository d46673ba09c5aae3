import { describe, expect, it } from 'vitest';
import { busyMs, kindOf, percentile, summary, wireBytes } from './first-visit-stats.ts';

describe('kindOf', () => {
  const shop = 'http://127.0.0.1:4000';
  const collector = 'http://127.0.0.1:4001';
  it.each([
    [`${shop}/portrait/portrait.js`, 'tag'],
    [`${shop}/portrait/portrait-worker.js`, 'worker'],
    [`${shop}/portrait/chunks/src-CDEGhJew.js`, 'worker'],
    [`${shop}/portrait/chunks/rolldown-runtime-CEoa-xHZ.js`, 'worker'],
    [`${shop}/portrait/chunks/ort.wasm.bundle.min-jsNOZSJ5.js`, 'runtime'],
    [`${shop}/portrait/chunks/transformers.web-CDNdx6sg.js`, 'runtime'],
    [`${shop}/portrait/assets/ort-wasm-simd-threaded-4byDm7i3.wasm`, 'runtime'],
    [`${shop}/portrait/assets/ort-wasm-simd-threaded.asyncify-CxOG5pUO.wasm`, 'runtime'],
    [`${shop}/portrait/models/use-lite/onnx/model_quantized.onnx`, 'model'],
    [`${shop}/portrait/models/use-lite/tokenizer.json`, 'model'],
    [`${collector}/v1/catalogue-vectors/manifest.json`, 'shards'],
    [`${collector}/v1/catalogue-vectors/use-lite-b2-1243504d/1.bin`, 'shards'],
    [`${collector}/v1/basis`, 'other'],
    [`${collector}/v1/profile`, 'other'],
    [`${shop}/p/aud-001.html`, 'other'],
    [`${shop}/assets/index-besj6oHv.js`, 'other'],
    [`${shop}/products.json`, 'other'],
  ])('%s is %s', (url, kind) => expect(kindOf(url)).toBe(kind));
});

describe('wireBytes', () => {
  it('is encodedDataLength when it counts a body', () =>
    expect(wireBytes({ headers: 346, body: 84_642, contentLength: 84_642, revalidated: false })).toBe(84_988));
  it('adds the served Content-Length when only the headers were counted (a worker’s own script)', () =>
    expect(wireBytes({ headers: 264, body: 0, contentLength: 23_078, revalidated: false })).toBe(23_342));
  it('counts only the headers of a revalidation, whose 304 reads as a 200 with the cached length', () =>
    expect(wireBytes({ headers: 229, body: 0, contentLength: 23_078, revalidated: true })).toBe(229));
  it('is 0 for a response from the HTTP cache', () =>
    expect(wireBytes({ headers: 299, body: -299, contentLength: 84_642, revalidated: false })).toBe(0));
  it('keeps the headers alone without a Content-Length', () =>
    expect(wireBytes({ headers: 264, body: 0, revalidated: false })).toBe(264));
});

describe('percentile', () => {
  const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  it('is nearest-rank on the sorted values', () => {
    expect(percentile(xs, 50)).toBe(5);
    expect(percentile(xs, 95)).toBe(10);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
  });
  it('is NaN for no values', () => expect(percentile([], 50)).toBeNaN());
  it('summarises with min and max', () => expect(summary(xs)).toEqual({ n: 10, p50: 5, p95: 10, min: 1, max: 10 }));
  it('summarises no values as n 0 alone, no NaN or Infinity', () => {
    expect(summary([])).toEqual({ n: 0 });
    expect(JSON.stringify(summary([]))).toBe('{"n":0}');
  });
});

describe('busyMs', () => {
  const nodes = [
    { id: 1, callFrame: { functionName: '(root)' } },
    { id: 2, callFrame: { functionName: '(idle)' } },
    { id: 3, callFrame: { functionName: 'fold' } },
    { id: 4, callFrame: { functionName: '(garbage collector)' } },
  ];
  it('sums the time of non-idle samples, each lasting until the next, the last until the end', () => {
    // Samples at 1000, 3000 (fold), 4000 (idle), 9000 (gc), end 10000 (µs).
    const profile = {
      nodes,
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 2, 4],
      timeDeltas: [1000, 2000, 1000, 5000],
    };
    expect(busyMs(profile)).toBe((1000 + 1000) / 1000);
  });
  it('is 0 for a profile without samples', () => expect(busyMs({ nodes, startTime: 0, endTime: 5 })).toBe(0));
});
