import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { ortSessionEmbedder } from '../ort-session-embedder.ts';
import { folderTokenizer } from '../tokenizer/folder-tokenizer.ts';

/** USE-Lite on onnxruntime-web's WASM backend in Node: what a browser worker runs, minus the browser. */
export interface WasmEncoder {
  /** Reading the .onnx and creating the session (the tokenizer is timed apart). */
  readonly loadMs: number;
  readonly tokenizerLoadMs: number;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export async function loadWasmEncoder(modelsRoot: string, file: string): Promise<WasmEncoder> {
  ort.env.wasm.numThreads = 1;
  const tokenizerStarted = performance.now();
  // The tokenizer loadEncoder runs for this folder, from its config.json marker and tokenizer.json.
  const files = new Map<string, Uint8Array>();
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) {
    files.set(name, await readFile(join(modelsRoot, 'use-lite', name)));
  }
  const tokenizer = folderTokenizer({ modelId: 'use-lite', dim: 512, files, verified: false });
  if (!tokenizer) throw new Error('use-lite/config.json does not name its tokenizer');
  const tokenizerLoadMs = performance.now() - tokenizerStarted;
  const started = performance.now();
  // The session, inputs and pooling the browser's WASM-only path runs.
  const embedder = await ortSessionEmbedder(ort, await readFile(join(modelsRoot, 'use-lite', file)), tokenizer, file);
  const loadMs = performance.now() - started;
  return { loadMs, tokenizerLoadMs, embed: (texts) => embedder.embed(texts) };
}
