// Everything the engine needs to know about the device, read once and frozen, so choices are
// made in one place and reported as they were made (like transformers.js `env`).

/** What the device offers the engine. */
export interface RuntimeEnv {
  /** A WebGPU adapter was granted (null when `navigator.gpu` is absent or refuses). */
  webgpu: { fallback: boolean; vendor: string } | null;
  /** Cross-origin isolated pages may run multi-threaded WASM; storefront tags usually are not. */
  crossOriginIsolated: boolean;
  cores: number;
  /** GB, from `navigator.deviceMemory` where exposed. */
  deviceMemory: number | undefined;
  /** The page told us the shopper asked to save data (`navigator.connection.saveData`). */
  saveData: boolean;
  /** `navigator.connection.effectiveType` ('slow-2g', '2g', '3g', '4g') where exposed. */
  effectiveType: string | undefined;
  indexedDB: boolean;
  locks: boolean;
  caches: boolean;
}

// Typed loosely on purpose: `isFallbackAdapter` moved from the adapter to `adapter.info` across versions.
type GpuAdapterLike = { isFallbackAdapter?: boolean; info?: { vendor?: string; isFallbackAdapter?: boolean } };
type NavigatorExtras = {
  gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> };
  deviceMemory?: number;
  connection?: { saveData?: boolean; effectiveType?: string };
};

export async function detectRuntime(
  hints: { saveData?: boolean; deviceMemory?: number; effectiveType?: string } = {},
): Promise<RuntimeEnv> {
  const nav = (typeof navigator === 'undefined' ? {} : navigator) as unknown as NavigatorExtras & {
    hardwareConcurrency?: number;
    locks?: { request?: unknown };
  };
  let webgpu: RuntimeEnv['webgpu'] = null;
  try {
    const adapter = await nav.gpu?.requestAdapter();
    if (adapter) {
      const fallback = adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
      webgpu = { fallback, vendor: adapter.info?.vendor ?? '' };
    }
  } catch {
    // A browser that throws here has no usable WebGPU for us.
  }
  return Object.freeze({
    webgpu,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    cores: nav.hardwareConcurrency ?? 1,
    // Workers do not see navigator.connection in every browser; the page passes what it sees.
    deviceMemory: hints.deviceMemory ?? nav.deviceMemory,
    saveData: hints.saveData ?? nav.connection?.saveData === true,
    effectiveType: hints.effectiveType ?? nav.connection?.effectiveType,
    indexedDB: typeof indexedDB !== 'undefined',
    locks: typeof nav.locks?.request === 'function',
    caches: typeof caches !== 'undefined',
  });
}

export const BACKENDS = ['webgpu', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Which runtime runs the model, and why; reported to the page as made. */
export interface BackendChoice {
  backend: Backend;
  threads: number;
  reason: string;
}

export function chooseBackend(env: RuntimeEnv, force?: Backend): BackendChoice {
  // Threads need SharedArrayBuffer, which only cross-origin isolated pages get; a third-party tag
  // cannot make the shop send COOP/COEP, so one thread is the storefront default.
  const threads = env.crossOriginIsolated ? Math.max(1, Math.min(4, env.cores)) : 1;
  const wasmWhy = env.crossOriginIsolated
    ? `page is cross-origin isolated: ${threads} threads`
    : 'not cross-origin isolated: 1 thread';
  if (force === 'wasm') return { backend: 'wasm', threads, reason: `forced by config; ${wasmWhy}` };
  if (force === 'webgpu') {
    if (env.webgpu) return { backend: 'webgpu', threads: 1, reason: 'forced by config' };
    return { backend: 'wasm', threads, reason: `webgpu forced but no adapter; ${wasmWhy}` };
  }
  // A software fallback adapter (SwiftShader) is slower than WASM: use it only when forced.
  if (env.webgpu && !env.webgpu.fallback) return { backend: 'webgpu', threads: 1, reason: 'WebGPU adapter' };
  if (env.webgpu) return { backend: 'wasm', threads, reason: `WebGPU adapter is a software fallback; ${wasmWhy}` };
  return { backend: 'wasm', threads, reason: `no WebGPU adapter; ${wasmWhy}` };
}

/** Why the model download should wait, or undefined when it may start now. */
export function downloadDeferral(env: RuntimeEnv, minDeviceMemoryGb: number): string | undefined {
  if (env.saveData) return 'Save-Data is on: model download deferred until the page calls loadModel()';
  if (env.effectiveType && /2g|3g/.test(env.effectiveType)) {
    return `${env.effectiveType} connection: model download deferred until the page calls loadModel()`;
  }
  if (env.deviceMemory !== undefined && env.deviceMemory < minDeviceMemoryGb) {
    return `deviceMemory ${env.deviceMemory} GB < ${minDeviceMemoryGb} GB: model not loaded`;
  }
  return undefined;
}
