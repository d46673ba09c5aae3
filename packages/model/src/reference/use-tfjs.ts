import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { USE_LITE_DIR } from './use-lite-dir.ts';

const require = createRequire(import.meta.url);

type Vocabulary = [string, number][];

interface ReferenceTokenizer {
  encode(text: string): number[];
}

type ReferenceTokenizerClass = new (vocabulary: Vocabulary, reservedSymbolsCount?: number) => ReferenceTokenizer;

export async function readVocabulary(): Promise<Vocabulary> {
  return JSON.parse(await readFile(join(USE_LITE_DIR, 'vocab.json'), 'utf8')) as Vocabulary;
}

/** The TF.js USE package's Tokenizer class, for any vocabulary. */
export async function loadReferenceTokenizerClass(): Promise<ReferenceTokenizerClass> {
  const mod = require('@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js') as {
    Tokenizer: ReferenceTokenizerClass;
  };
  return mod.Tokenizer;
}

/** The tokenizer the TF.js USE package ships, fed the npm vocabulary. */
export async function loadReferenceTokenizer(): Promise<ReferenceTokenizer> {
  const Tokenizer = await loadReferenceTokenizerClass();
  return new Tokenizer(await readVocabulary());
}

interface ModelJson {
  modelTopology: tf.io.ModelArtifacts['modelTopology'];
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/** The original graph on the TF.js CPU backend, fed exactly as the USE package's `embed` feeds it. */
export interface ReferenceEncoder {
  tokenizer: ReferenceTokenizer;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export async function loadReferenceEncoder(): Promise<ReferenceEncoder> {
  await tf.setBackend('cpu');
  const json = JSON.parse(await readFile(join(USE_LITE_DIR, 'model.json'), 'utf8')) as ModelJson;
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const shards = await Promise.all(
    json.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(join(USE_LITE_DIR, p))),
  );
  const bytes = Buffer.concat(shards);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const model = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }),
  );
  const tokenizer = await loadReferenceTokenizer();
  return {
    tokenizer,
    async embed(texts) {
      const encodings = texts.map((t) => tokenizer.encode(t));
      const flatIndices = encodings.flatMap((ids, i) => ids.map((_, j) => [i, j]));
      const indices = tf.tensor2d(flatIndices, [flatIndices.length, 2], 'int32');
      const values = tf.tensor1d(encodings.flat(), 'int32');
      const out = (await model.executeAsync({ indices, values })) as tf.Tensor;
      const data = (await out.data()) as Float32Array;
      const dim = out.shape[1] ?? 0;
      tf.dispose([indices, values, out]);
      return encodings.map((_, i) => data.slice(i * dim, (i + 1) * dim));
    },
  };
}
