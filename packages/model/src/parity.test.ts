import { beforeAll, describe, expect, test } from 'vitest';
import { TOKENIZER_EDGE_STRINGS } from './corpus/own-strings.ts';
import { embeddingCorpus } from './corpus/test-corpus.ts';
import { cosine, neighbourOverlap, summary } from './eval/similarity.ts';
import { loadEncoder } from './load-encoder.ts';
import { fileSource } from './node-source.ts';
import { loadReferenceEncoder } from './reference/use-tfjs.ts';
import { useBuiltModels } from './test-env.ts';

// TF.js' pure-JS CPU backend needs ~0.2 s per sentence, so the reference covers
// a 460-title slice of the catalogue plus the hand-written strings (~530 in all).
const CATALOGUE_SLICE = 460;
const { titles, own } = embeddingCorpus(CATALOGUE_SLICE);
const texts = [...titles, ...own];

let reference: Float32Array[] = [];
const vectors: Record<'fp32' | 'q8', Float32Array[]> = { fp32: [], q8: [] };
// Strings plain transformers.js tokenizes differently from the reference (see the tokenizer test).
const edge = [...TOKENIZER_EDGE_STRINGS];
let edgeReference: Float32Array[] = [];
let edgeFp32: Float32Array[] = [];

describe(`USE-Lite ONNX vs the TF.js original on ${texts.length} strings (${titles.length} catalogue titles + ${own.length} own)`, () => {
  beforeAll(async () => {
    const root = await useBuiltModels();
    const tfjs = await loadReferenceEncoder();
    reference = [];
    for (let i = 0; i < texts.length; i += 64) reference.push(...(await tfjs.embed(texts.slice(i, i + 64))));
    edgeReference = await tfjs.embed(edge);
    for (const dtype of ['fp32', 'q8'] as const) {
      const encoder = await loadEncoder({
        baseUrl: root,
        modelId: 'use-lite',
        dtype,
        device: 'cpu',
        source: fileSource(root),
      });
      vectors[dtype] = await encoder.embed(texts);
      if (dtype === 'fp32') edgeFp32 = await encoder.embed(edge);
      await encoder.dispose();
    }
    // ~2 minutes alone on 2 cores, past 5 when the machine is shared.
  }, 600_000);

  test('at least 500 strings are compared', () => {
    expect(texts.length).toBeGreaterThanOrEqual(500);
    expect(reference).toHaveLength(texts.length);
  });

  test('fp32: mean cosine >= 0.9999, min >= 0.999', () => {
    const s = summary(
      texts.map((_, i) => cosine(vectors.fp32[i] ?? new Float32Array(), reference[i] ?? new Float32Array())),
    );
    console.log(`fp32 vs TF.js: mean ${s.mean.toFixed(7)}, min ${s.min.toFixed(7)}`);
    expect(s.mean).toBeGreaterThanOrEqual(0.9999);
    expect(s.min).toBeGreaterThanOrEqual(0.999);
  });

  test('int8: mean cosine >= 0.99, min >= 0.97', () => {
    const s = summary(
      texts.map((_, i) => cosine(vectors.q8[i] ?? new Float32Array(), reference[i] ?? new Float32Array())),
    );
    console.log(`int8 vs TF.js: mean ${s.mean.toFixed(7)}, min ${s.min.toFixed(7)}`);
    expect(s.mean).toBeGreaterThanOrEqual(0.99);
    expect(s.min).toBeGreaterThanOrEqual(0.97);
  });

  test(`int8 top-10 nearest neighbours agree with TF.js on the ${CATALOGUE_SLICE}-title catalogue slice (>= 0.8)`, () => {
    const overlap = neighbourOverlap(vectors.q8.slice(0, titles.length), reference.slice(0, titles.length), 10);
    console.log(`top-10 overlap int8 vs TF.js: ${overlap.toFixed(4)}`);
    expect(overlap).toBeGreaterThanOrEqual(0.8);
  });

  test(`fp32 on the ${edge.length} tokenizer edge strings (ties, zero-score pieces, unknowns): min cosine >= 0.9999`, () => {
    const s = summary(
      edge.map((_, i) => cosine(edgeFp32[i] ?? new Float32Array(), edgeReference[i] ?? new Float32Array())),
    );
    console.log(`fp32 vs TF.js on the edge strings: mean ${s.mean.toFixed(7)}, min ${s.min.toFixed(7)}`);
    expect(s.min).toBeGreaterThanOrEqual(0.9999);
  });
});
