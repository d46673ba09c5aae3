import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModels, MODELS_ROOT } from '../convert/build-models.ts';
import { catalogueTitles } from '../corpus/catalogue.ts';
import { OWN_STRINGS } from '../corpus/own-strings.ts';
import { syntheticStrings } from '../corpus/test-corpus.ts';
import { cosine, summary } from '../eval/similarity.ts';
import { USE_LITE_DIR } from '../reference/use-lite-dir.ts';
import { loadReferenceEncoder } from '../reference/use-tfjs.ts';
import { loadWasmEncoder } from './ort-wasm-encoder.ts';
import { type Timing, timeBatches } from './timing.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
// TF.js' CPU backend needs ~0.2 s a sentence; it is timed on the first 100 strings only.
const TFJS_SUBSET = 100;

/** 1,000 strings: the non-empty own strings plus catalogue titles (synthetic if the dataset is absent). */
function benchStrings(): string[] {
  const own = OWN_STRINGS.filter((s) => s.length > 0);
  const titles = catalogueTitles();
  const fill = titles.length > 0 ? titles : syntheticStrings(1000);
  return [...fill.slice(0, 1000 - own.length), ...own];
}

async function bytesIn(dir: string, match: (name: string) => boolean): Promise<number> {
  let total = 0;
  for (const name of (await readdir(dir)).filter(match)) total += (await stat(join(dir, name))).size;
  return total;
}

interface Row {
  name: string;
  sentences: number;
  loadMs: number;
  batch1: Timing;
  batch32: Timing;
}

async function main(): Promise<void> {
  await buildModels();
  const texts = benchStrings();
  const rows: Row[] = [];

  const tfStart = performance.now();
  const tfjs = await loadReferenceEncoder();
  const tfLoad = performance.now() - tfStart;
  const subset = texts.slice(0, TFJS_SUBSET);
  await tfjs.embed(subset.slice(0, 2));
  rows.push({
    name: `TF.js CPU (first ${TFJS_SUBSET})`,
    sentences: subset.length,
    loadMs: tfLoad,
    batch1: await timeBatches(subset, 1, (b) => tfjs.embed(b)),
    batch32: await timeBatches(subset, 32, (b) => tfjs.embed(b)),
  });
  const reference = await tfjs.embed(subset);

  const parity: Record<string, { mean: number; min: number }> = {};
  const tokenizerLoadMs: number[] = [];
  for (const [name, file] of [
    ['ONNX fp32 WASM 1 thread', 'onnx/model.onnx'],
    ['ONNX int8 WASM 1 thread', 'onnx/model_quantized.onnx'],
  ] as const) {
    const encoder = await loadWasmEncoder(MODELS_ROOT, file);
    tokenizerLoadMs.push(encoder.tokenizerLoadMs);
    await encoder.embed(texts.slice(0, 32));
    rows.push({
      name,
      sentences: texts.length,
      loadMs: encoder.loadMs,
      batch1: await timeBatches(texts, 1, (b) => encoder.embed(b)),
      batch32: await timeBatches(texts, 32, (b) => encoder.embed(b)),
    });
    const ours = await encoder.embed(subset);
    parity[name] = summary(
      subset.map((_, i) => cosine(ours[i] ?? new Float32Array(), reference[i] ?? new Float32Array())),
    );
  }

  const sizes = {
    tfjsWeightsBytes: await bytesIn(USE_LITE_DIR, (n) => n.startsWith('group1-shard')),
    onnxFp32Bytes: (await stat(join(MODELS_ROOT, 'use-lite', 'onnx', 'model.onnx'))).size,
    onnxInt8Bytes: (await stat(join(MODELS_ROOT, 'use-lite', 'onnx', 'model_quantized.onnx'))).size,
  };
  const [tf, fp32, int8] = rows;
  const speedups = {
    int8VsFp32Batch32: (int8?.batch32.sentencesPerSecond ?? 0) / (fp32?.batch32.sentencesPerSecond ?? 1),
    int8VsTfjsBatch32: (int8?.batch32.sentencesPerSecond ?? 0) / (tf?.batch32.sentencesPerSecond ?? 1),
    int8VsFp32Batch1: (int8?.batch1.sentencesPerSecond ?? 0) / (fp32?.batch1.sentencesPerSecond ?? 1),
  };

  const f = (n: number, d = 1) => n.toFixed(d).padStart(9);
  console.log(`\n${texts.length} strings (TF.js timed on the first ${TFJS_SUBSET}); node ${process.version}\n`);
  console.log(`${'backend'.padEnd(28)} load ms |  b1 sent/s   p50 ms   p95 ms | b32 sent/s   p50 ms   p95 ms`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(28)}${f(r.loadMs, 0)} |${f(r.batch1.sentencesPerSecond)}${f(r.batch1.p50Ms)}${f(r.batch1.p95Ms)} |${f(r.batch32.sentencesPerSecond)}${f(r.batch32.p50Ms)}${f(r.batch32.p95Ms)}`,
    );
  }
  console.log(`\nint8 / fp32 at batch 32: ${speedups.int8VsFp32Batch32.toFixed(2)}x (goal 1.5x)`);
  console.log(`int8 / TF.js at batch 32: ${speedups.int8VsTfjsBatch32.toFixed(1)}x (goal 10x)`);
  console.log(`int8 / fp32 at batch 1: ${speedups.int8VsFp32Batch1.toFixed(2)}x`);
  console.log(
    `tokenizer load (UnigramTokenizer from tokenizer.json): ${tokenizerLoadMs.map((ms) => ms.toFixed(0)).join(' / ')} ms (first / second)`,
  );
  console.log(`sizes: ${JSON.stringify(sizes)}`);
  console.log(`cosine vs TF.js on the subset: ${JSON.stringify(parity)}`);

  const outDir = join(repoRoot, 'bench-results');
  await mkdir(outDir, { recursive: true });
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    strings: texts.length,
    tfjsSubset: TFJS_SUBSET,
    rows,
    tokenizerLoadMs,
    speedups,
    sizes,
    parity,
  };
  await writeFile(join(outDir, 'model.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`written ${join(outDir, 'model.json')}`);
}

await main();
