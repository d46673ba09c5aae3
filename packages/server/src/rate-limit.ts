/**
 * The per-address key of a client: IPv4 as is (an IPv4-mapped IPv6 address as its IPv4), IPv6
 * by its /64, the prefix one subscriber gets and can rotate through at will.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1] as string;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.replace(/%.*$/, '').split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Most keys one limiter remembers by default: about 10 MB of buckets at worst. */
export const RATE_LIMIT_KEYS = 50_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets keyed by IP or pseudonymous id: `burst` requests at once, refilled at
 * `perMinute`. The map is kept in least-recently-used order and never holds more than
 * `capacity` keys, however many distinct keys arrive in a minute (rotating ids or IPv6
 * addresses would otherwise grow it without limit). Past capacity the least recently used key
 * is forgotten even if it is still limited; a key that sends again before `capacity` other keys
 * arrive stays remembered, so a flood of new keys cannot reset the bucket of the key doing the
 * flooding.
 */
export function createRateLimiter(perMinute: number, burst = perMinute, capacity = RATE_LIMIT_KEYS) {
  const buckets = new Map<string, Bucket>();
  const rate = perMinute / 60_000;
  // The wall clock can step back; a bucket never loses tokens for it.
  const level = (b: Bucket, now: number) => Math.min(burst, b.tokens + Math.max(0, now - b.at) * rate);
  return {
    /** Takes one token; false when the key is over its limit. */
    take(key: string, now = Date.now()): boolean {
      if (perMinute <= 0) return true;
      const b = buckets.get(key) ?? { tokens: burst, at: now };
      // Re-inserted below, so the map's first entries are always the least recently used.
      buckets.delete(key);
      // Forget from the old end: buckets full again hold no state worth keeping, and past
      // capacity the oldest go regardless. Each key is deleted once, so this is O(1) amortized.
      for (const [k, old] of buckets) {
        if (buckets.size < capacity && level(old, now) < burst) break;
        buckets.delete(k);
      }
      b.tokens = level(b, now);
      b.at = Math.max(b.at, now);
      buckets.set(key, b);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
    /** Keys currently remembered (never more than `capacity`). */
    get size() {
      return buckets.size;
    },
    capacity,
  };
}
