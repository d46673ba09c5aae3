import { type Logger, type PortraitErrorData, toErrorData } from '@portrait/core';
import type { ResolvedConfig, Result, WorkerStatus } from '../engine-types.ts';
import { META } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';
import type { DownloadProgress } from './download-progress.ts';
import type { Embedder } from './embedder.ts';
import { BACKEND_FAILED, type LoadedModel, type ModelConfig } from './model-loader.ts';
import { type BackendChoice, chooseBackend, downloadDeferral, type RuntimeEnv } from './runtime-env.ts';

const MODEL_RETRY_MAX_MS = 5 * 60_000;
// 'auto' loads once events wait for the model, after this pause: the page has finished loading
// and the shopper's next clicks are not competing with the download.
const IDLE_DELAY_MS = 2_000;
// A WebGPU failure is remembered in the store's meta; the device gets WASM for a day after it.
const GPU_FAILED_FOR_MS = 24 * 3_600_000;

export type LoadModelFn = (
  config: ModelConfig,
  choice: BackendChoice,
  onProgress: (p: DownloadProgress) => void,
) => Promise<LoadedModel>;

export interface ModelLifecycleDeps {
  config: () => ResolvedConfig;
  store: () => Store<{ modelId: string }> | undefined;
  log: () => Logger;
  /** Where `modelBaseUrl` resolves (the worker script's URL). */
  baseUrl: () => string;
  load: LoadModelFn;
  /** Makes a loaded model the one folds use (guard, labels, first fold); returns its error as data. */
  adopt: (e: Embedder) => Promise<Result<number>>;
  /** The model stopped being usable: folds must not run with it. */
  drop: (e: Embedder | undefined) => void;
  emitStatus: () => Promise<void>;
  emitProgress: (p: DownloadProgress) => void;
}

type ModelStatus = WorkerStatus['model'];

/**
 * The model from download to ready, and what happens when it fails: the backend choice, the
 * deferral (Save-Data, low memory), retries with backoff, and the memory of a WebGPU failure.
 */
export function createModelLifecycle(d: ModelLifecycleDeps) {
  let runtime: RuntimeEnv | undefined;
  let model: ModelStatus = { id: d.config().modelId, state: 'idle' };
  let attempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let wantTimer: ReturnType<typeof setTimeout> | undefined;
  /** Why WebGPU failed in this worker (its device was lost mid-run), once it did. */
  let gpuFailure: string | undefined;

  /** Why WebGPU is avoided on this device for now (it failed recently), or undefined. */
  async function recentGpuFailure(): Promise<string | undefined> {
    if (gpuFailure) return gpuFailure;
    try {
      const raw = await d.store()?.getMeta(META.webgpuFailed);
      const seen = raw ? (JSON.parse(raw) as { at: number; reason: string }) : undefined;
      return seen && Date.now() - seen.at < GPU_FAILED_FOR_MS ? String(seen.reason) : undefined;
    } catch {
      // Unreadable: WebGPU gets its chance; a failure there is caught again.
      return undefined;
    }
  }

  async function start(): Promise<void> {
    if (!runtime || model.state === 'loading' || model.state === 'ready') return;
    const config = d.config();
    // Claimed before the first await, so a second call meanwhile does not start another load.
    model = { id: config.modelId, state: 'loading' };
    const failed = await recentGpuFailure();
    const choice = chooseBackend(runtime, failed ? 'wasm' : config.backend);
    if (failed) choice.reason = `WebGPU failed here recently (${failed.slice(0, 200)}): WASM; ${choice.reason}`;
    model = {
      id: config.modelId,
      state: 'loading',
      backend: choice.backend,
      threads: choice.threads,
      reason: choice.reason,
    };
    await d.emitStatus();
    let loaded: LoadedModel;
    try {
      loaded = await d.load(
        {
          baseUrl: new URL(config.modelBaseUrl ?? 'models/', d.baseUrl()).href,
          modelId: config.modelId,
          dtype: config.dtype,
        },
        choice,
        (p) => {
          // The loader sums the files against the total it planned up front (download-progress.ts).
          model.progress = p;
          d.emitProgress(p);
        },
      );
    } catch (err) {
      attempts++;
      const delay = Math.min(MODEL_RETRY_MAX_MS, 5_000 * 2 ** (attempts - 1));
      model = { ...model, state: 'error', error: toErrorData('model/load', err), retryAt: Date.now() + delay };
      d.log().warn('model failed to load; events stay queued', model.error?.code, model.error?.message);
      // The cache was purged, so a retry downloads afresh; the backoff bounds a server that keeps
      // serving bad bytes.
      retryTimer = setTimeout(() => void start(), delay);
      await d.emitStatus();
      return;
    }
    // What onnxruntime runs on, as it reports it, not what was asked for.
    model = { ...model, state: 'ready', loadMs: loaded.loadMs, threads: loaded.threads ?? model.threads };
    attempts = 0;
    delete model.error;
    delete model.retryAt;
    const ready = await d.adopt(loaded.embedder);
    if (ready.ok) {
      model.sensitiveThreshold = ready.value;
      await d.emitStatus();
      return;
    }
    if (ready.error.code === BACKEND_FAILED && !gpuFailure) await backendFailed(ready.error.message, loaded.embedder);
    else model = { ...model, state: 'error', error: ready.error };
  }

  // WebGPU failed mid-inference (device lost, driver reset). The fold that hit it wrote nothing,
  // so its events stay pending. The model is not reloaded on WASM in this worker: onnxruntime-web
  // keeps the lost device for every later session of the same runtime (even a WASM one fails in
  // its GPU buffer manager). The failure is remembered, and the next worker (next page, or the
  // tag's restart) runs WASM and folds what is pending.
  async function backendFailed(reason: string, failed: Embedder | undefined): Promise<void> {
    if (gpuFailure) throw { code: BACKEND_FAILED, message: reason } satisfies PortraitErrorData;
    gpuFailure = reason;
    d.drop(failed);
    void failed?.dispose?.().catch(() => undefined);
    d.log().warn('WebGPU failed; events stay queued for WASM on the next start', reason);
    model = {
      ...model,
      state: 'error',
      error: { code: BACKEND_FAILED, message: `${reason}; events stay queued and fold on WASM from the next start` },
    };
    await d.store()?.setMeta(META.webgpuFailed, JSON.stringify({ at: Date.now(), reason }));
    await d.emitStatus();
  }

  return {
    /** A copy of the model's state for status(). */
    status(): ModelStatus {
      return { ...model };
    },

    /**
     * After init detected the device: start the download now, or say why it waits. `needed`: an
     * event or a configured feature cannot do without the model (always so without a catalogue).
     */
    begin(env: RuntimeEnv, needed: boolean): void {
      runtime = env;
      const config = d.config();
      model = { id: config.modelId, state: 'idle' };
      const deferral = downloadDeferral(env, config.minDeviceMemoryGb);
      if (deferral) {
        model = { id: config.modelId, state: 'deferred', reason: deferral };
        d.log().info(deferral);
        return;
      }
      if (config.model === 'never') {
        model.reason = "model: 'never': catalogue items fold; free text waits until loadModel()";
        return;
      }
      // Not awaited: ingest keeps storing events durably while the model downloads.
      if (config.model === 'eager' || needed) void start();
      else model.reason = 'not needed yet: catalogue items fold from the published vectors';
    },

    /** Events wait for the model: in 'auto', download it in idle time (never while deferred). */
    want(): void {
      if (d.config().model !== 'auto' || model.state !== 'idle' || !runtime || wantTimer) return;
      wantTimer = setTimeout(() => {
        wantTimer = undefined;
        void start();
      }, IDLE_DELAY_MS);
    },

    /** Starts a deferred download, or retries a failed one now. */
    retryNow(): void {
      clearTimeout(retryTimer);
      clearTimeout(wantTimer);
      wantTimer = undefined;
      if (model.state === 'idle') void start();
      if (model.state === 'deferred' || model.state === 'error') {
        model = { id: d.config().modelId, state: 'idle' };
        void start();
      }
    },

    backendFailed,
  };
}

export type ModelLifecycle = ReturnType<typeof createModelLifecycle>;
