/**
 * Token buckets keyed by IP or pseudonymous id: `burst` requests at once, refilled at
 * `perMinute`. Keys idle long enough to be full again are swept, so memory stays bounded by
 * the keys active in the last minute or so.
 */
export function createRateLimiter(perMinute: number, burst = perMinute) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  let sweptAt = 0;
  return {
    /** Takes one token; false when the key is over its limit. */
    take(key: string, now = Date.now()): boolean {
      if (perMinute <= 0) return true;
      if (now - sweptAt > 60_000) {
        for (const [k, b] of buckets) if (b.tokens + (now - b.at) * rate >= burst) buckets.delete(k);
        sweptAt = now;
      }
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * rate);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
