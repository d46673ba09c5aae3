/**
 * Optional local differential privacy for the compact vectors, applied on the device before
 * quantization.
 *
 * What the numbers mean: the payload's vectors (concatenated) are first clipped to L2 norm
 * `clip * sqrt(n)` (each vector to `clip`), so any two devices' payloads differ by at most
 * `2 * clip * sqrt(n)` (the L2 sensitivity). Gaussian noise with
 * `sigma = sensitivity * sqrt(2 ln(1.25 / delta)) / epsilon` on every component then makes one
 * payload (epsilon, delta)-differentially private with respect to the *whole* profile
 * (Dwork & Roth, Theorem A.1; the bound is proven for epsilon < 1, larger epsilon values are
 * usable but the guarantee is then only approximate). An observer of one payload cannot tell
 * this shopper's profile from any other's by more than a factor e^epsilon, except with
 * probability delta. Each sync is a fresh release: k syncs cost about k * epsilon in total
 * (basic composition), which is why the outbox only syncs when the profile moved.
 * Small epsilon (e.g. 0.5) drowns the vector in noise for one device, but server-side
 * aggregates over many devices (segment counts, centroids) stay useful.
 */
export interface LocalDpOptions {
  /** Privacy loss per payload; smaller is more private. */
  epsilon: number;
  /** Probability the bound fails; keep well below 1 / number of devices. */
  delta: number;
  /** L2 norm each vector is clipped to before noise (in the compact space). */
  clip: number;
}

export const DEFAULT_DP: LocalDpOptions = { epsilon: 1, delta: 1e-6, clip: 0.5 };

/** Noise standard deviation for `n` vectors under these options. */
export function dpSigma(o: LocalDpOptions, n: number): number {
  if (!(o.epsilon > 0) || !(o.delta > 0 && o.delta < 1) || !(o.clip > 0)) {
    throw new RangeError('DP needs epsilon > 0, 0 < delta < 1, clip > 0');
  }
  return (2 * o.clip * Math.sqrt(Math.max(1, n)) * Math.sqrt(2 * Math.log(1.25 / o.delta))) / o.epsilon;
}

/** A standard normal from a uniform source (Box-Muller). */
export function gaussian(uniform: () => number): number {
  const u = Math.max(uniform(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}

/** Uniform [0, 1) from the platform's CSPRNG: noise from Math.random could be predicted. */
export function secureUniform(): number {
  const buf = new Uint32Array(1);
  // core is typed without DOM or Node globals; both runtimes have Web Crypto.
  (globalThis as unknown as { crypto: { getRandomValues(a: Uint32Array): Uint32Array } }).crypto.getRandomValues(buf);
  return (buf[0] as number) / 4294967296;
}

/** Clips each vector to `clip` and adds calibrated Gaussian noise; returns new arrays. */
export function privatize(
  vectors: readonly Float32Array[],
  o: LocalDpOptions,
  uniform: () => number = secureUniform,
): Float32Array[] {
  const sigma = dpSigma(o, vectors.length);
  return vectors.map((v) => {
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    const k = norm > o.clip ? o.clip / norm : 1;
    return Float32Array.from(v, (x) => x * k + sigma * gaussian(uniform));
  });
}
