// How every browser in this repo is launched (the e2e suite and the benchmarks), in one place.

/** Debian's Chromium unless PORTRAIT_CHROMIUM points at another build. */
export const CHROMIUM_PATH = process.env.PORTRAIT_CHROMIUM ?? '/usr/bin/chromium';

/** The machine has no network beyond package registries: keep Chromium from calling home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/**
 * Extra flags for the WebGPU path: headless Chromium then exposes a SwiftShader fallback adapter
 * on localhost. Good for results, never for timing.
 */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu'] as const;
