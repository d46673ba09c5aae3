/** Throughput and latency of one configuration. */
export interface Timing {
  readonly sentences: number;
  readonly batchSize: number;
  readonly sentencesPerSecond: number;
  /** Per call: one sentence at batch 1, one batch of up to 32 at batch 32. */
  readonly p50Ms: number;
  readonly p95Ms: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

/** Runs `call` over `texts` in batches, timing each call. */
export async function timeBatches(
  texts: readonly string[],
  batchSize: number,
  call: (batch: string[]) => Promise<unknown>,
): Promise<Timing> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < texts.length; i += batchSize) {
    const t = performance.now();
    await call(texts.slice(i, i + batchSize));
    latencies.push(performance.now() - t);
  }
  const total = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    sentences: texts.length,
    batchSize,
    sentencesPerSecond: (texts.length / total) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
  };
}
