// The first-visit bench's arithmetic, apart from the browser driving so it can be unit-tested.

/** What a request downloads for, in the rows' terms. */
export const KINDS = ['tag', 'worker', 'runtime', 'model', 'shards', 'other'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * The kind of a request the shop's page or the engine's worker made. `other` is the shop's own
 * page (HTML, CSS, its script, products.json) and the collector's sync traffic (basis, profile).
 */
export function kindOf(url: string): Kind {
  const path = new URL(url).pathname;
  if (path === '/portrait/portrait.js') return 'tag';
  if (path.startsWith('/v1/catalogue-vectors/')) return 'shards';
  if (path.startsWith('/portrait/models/')) return 'model';
  // onnxruntime's wasm files and glue, and the transformers.js chunk (the WebGPU/BERT runtime).
  if (/\/portrait\/(assets|chunks)\/(ort[.-]|transformers)/.test(path)) return 'runtime';
  if (path === '/portrait/portrait-worker.js' || path.startsWith('/portrait/chunks/')) return 'worker';
  return 'other';
}

/** A finished request's sizes as Playwright reports them (`request.sizes()`, from CDP). */
export interface WireSizes {
  headers: number;
  /** CDP's encodedDataLength less the headers: negative for a response from the HTTP cache. */
  body: number;
  /** The response's Content-Length, the encoded body's size as served. */
  contentLength?: number;
  /** The request carried If-None-Match / If-Modified-Since (a revalidation: a 304 reads as 200). */
  revalidated: boolean;
}

/**
 * Bytes a finished request took on the wire: CDP's encodedDataLength (headers + body), 0 from the
 * HTTP cache. For a dedicated worker's own script Chromium counts only the headers (its body
 * arrives with encodedDataLength 0), so a 200 with an empty counted body that was not a
 * revalidation gets the served Content-Length added.
 */
export function wireBytes(s: WireSizes): number {
  const encoded = s.headers + s.body;
  if (encoded <= 0) return 0;
  if (s.body === 0 && !s.revalidated && s.contentLength !== undefined && s.contentLength > 0)
    return s.headers + s.contentLength;
  return encoded;
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list; NaN for an empty one. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/**
 * p50 / p95 / min / max / n, rounded to 0.1. No values (a part of the bench not run) gives only
 * `n: 0`: a NaN or ±Infinity would print as a number-looking cell and break the JSON.
 */
export function summary(xs: readonly number[]): { n: number; p50?: number; p95?: number; min?: number; max?: number } {
  if (xs.length === 0) return { n: 0 };
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: xs.length,
    p50: r(percentile(xs, 50)),
    p95: r(percentile(xs, 95)),
    min: r(Math.min(...xs)),
    max: r(Math.max(...xs)),
  };
}

/** The part of a V8 CPU profile (CDP Profiler.stop) the busy time needs. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Milliseconds the profiled thread was busy: each sample lasts until the next one (the last until
 * the profile's end), and samples of the `(idle)` node are the thread waiting for work.
 */
export function busyMs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  const at = samples.map((_, i) => {
    t += deltas[i] ?? 0;
    return t;
  });
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    const end = i + 1 < samples.length ? (at[i + 1] as number) : profile.endTime;
    if (!idle.has(samples[i] as number)) busy += Math.max(0, end - (at[i] as number));
  }
  return busy / 1000;
}
