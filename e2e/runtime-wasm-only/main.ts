import { env, pipeline } from '@huggingface/transformers';
import { loadEncoder } from '@portrait/model';

declare global {
  interface Window {
    /** The bundled model through loadEncoder on WASM: onnxruntime-web/wasm driven directly. */
    directVectors(texts: string[]): Promise<number[][]>;
    /** The same folder through transformers.js' feature-extraction pipeline on WASM (the asyncify build). */
    pipelineVectors(texts: string[]): Promise<number[][]>;
  }
}

window.directVectors = async (texts) => {
  const encoder = await loadEncoder({ baseUrl: '/models/', modelId: 'use-lite', dtype: 'q8', device: 'wasm' });
  const out: number[][] = [];
  for (const t of texts) out.push(Array.from((await encoder.embed([t]))[0] ?? []));
  await encoder.dispose();
  return out;
};

window.pipelineVectors = async (texts) => {
  // The settings loadEncoder writes for its transformers.js path, set here because this page
  // runs transformers.js itself, as the worker did for every device before.
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = '/models/';
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    wasm.numThreads = 1;
    wasm.wasmPaths = undefined;
  }
  const extract = await pipeline('feature-extraction', 'use-lite', { dtype: 'q8', device: 'wasm' });
  const out: number[][] = [];
  // One text per call, as loadEncoder runs q8: int8 activations are quantized per call.
  for (const t of texts) out.push(Array.from((await extract([t], { pooling: 'mean', normalize: true })).data));
  await extract.dispose();
  return out;
};

const status = document.getElementById('status');
if (status) status.textContent = 'ready';
