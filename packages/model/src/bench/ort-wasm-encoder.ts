import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web';

/** USE-Lite on onnxruntime-web's WASM backend in Node: what a browser worker runs, minus the browser. */
export interface WasmEncoder {
  /** Reading the .onnx and creating the session (the tokenizer is timed apart). */
  readonly loadMs: number;
  readonly tokenizerLoadMs: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export async function loadWasmEncoder(modelsRoot: string, file: string): Promise<WasmEncoder> {
  ort.env.wasm.numThreads = 1;
  env.allowRemoteModels = false;
  env.localModelPath = `${modelsRoot}/`;
  const tokenizerStarted = performance.now();
  const tokenizer = await AutoTokenizer.from_pretrained('use-lite');
  const tokenizerLoadMs = performance.now() - tokenizerStarted;
  const started = performance.now();
  const session = await ort.InferenceSession.create(await readFile(join(modelsRoot, 'use-lite', file)));
  const loadMs = performance.now() - started;
  return {
    loadMs,
    tokenizerLoadMs,
    async embed(texts) {
      const { input_ids, attention_mask } = tokenizer(texts, { padding: true, truncation: true });
      const dims = input_ids.dims as number[];
      const out = await session.run({
        input_ids: new ort.Tensor('int64', input_ids.data as BigInt64Array, dims),
        attention_mask: new ort.Tensor('int64', attention_mask.data as BigInt64Array, dims),
      });
      const data = out.sentence_embedding?.data as Float32Array;
      const dim = data.length / texts.length;
      return texts.map((_, i) => data.slice(i * dim, (i + 1) * dim));
    },
  };
}
