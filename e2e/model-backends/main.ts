import { EncoderError, type EncoderErrorData, loadEncoder, type RuntimeInfo } from '@portrait/model';

/** What the spec reads back from the page, as plain data. */
export interface BackendRun {
  readonly vectors: number[][];
  readonly dim: number;
  readonly runtime: RuntimeInfo;
  readonly loadMs: number;
  readonly gpu: GpuUse;
}

/** WebGPU use observed from outside the runtime: adapters handed out, command buffers submitted. */
export interface GpuUse {
  adapters: { vendor: string; architecture: string; isFallbackAdapter: boolean | undefined }[];
  submits: number;
}

const gpu: GpuUse = { adapters: [], submits: 0 };

// Instrument the WebGPU API itself, so a silent fallback to WASM shows up as
// zero submitted command buffers whatever the runtime reports about itself.
if ('gpu' in navigator && typeof GPUQueue !== 'undefined') {
  const request = navigator.gpu.requestAdapter.bind(navigator.gpu);
  navigator.gpu.requestAdapter = async (options) => {
    const adapter = await request(options);
    if (adapter) {
      const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
      gpu.adapters.push({
        vendor: info.vendor,
        architecture: info.architecture,
        isFallbackAdapter: info.isFallbackAdapter,
      });
    }
    return adapter;
  };
  const submit = GPUQueue.prototype.submit;
  GPUQueue.prototype.submit = function (this: GPUQueue, buffers: Iterable<GPUCommandBuffer>) {
    gpu.submits++;
    return submit.call(this, buffers);
  };
}

declare global {
  interface Window {
    runBackend(device: 'wasm' | 'webgpu', texts: string[]): Promise<BackendRun | { error: EncoderErrorData | string }>;
  }
}

// The spec calls this with one device per page load: transformers.js and
// onnxruntime-web keep one global environment per page.
window.runBackend = async (device, texts) => {
  try {
    const started = performance.now();
    const encoder = await loadEncoder({ baseUrl: '/models/', modelId: 'use-lite', dtype: 'q8', device });
    const loadMs = performance.now() - started;
    const submitsBefore = gpu.submits;
    const vectors = await encoder.embed(texts);
    const run = {
      vectors: vectors.map((v) => Array.from(v)),
      dim: encoder.dim,
      runtime: encoder.runtime(),
      loadMs,
      gpu: { adapters: gpu.adapters, submits: gpu.submits - submitsBefore },
    };
    await encoder.dispose();
    return run;
  } catch (e) {
    return { error: e instanceof EncoderError ? e.toData() : String(e) };
  }
};

const status = document.getElementById('status');
if (status) status.textContent = 'ready';
