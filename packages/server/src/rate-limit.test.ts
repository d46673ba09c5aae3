import { describe, expect, it } from 'vitest';
import { addressKey, createRateLimiter } from './rate-limit.ts';

const takes = (limiter: ReturnType<typeof createRateLimiter>, key: string, n: number, now: number) =>
  Array.from({ length: n }, () => limiter.take(key, now)).filter(Boolean).length;

describe('rate limiter', () => {
  it('allows the burst, then refills at the per-minute rate', () => {
    const l = createRateLimiter(60, 5);
    expect(takes(l, 'a', 10, 0)).toBe(5);
    expect(takes(l, 'a', 10, 1_000)).toBe(1);
    expect(takes(l, 'a', 10, 61_000)).toBe(5);
  });

  it('never remembers more than its capacity across 10,000 distinct keys', () => {
    const l = createRateLimiter(600, 600, 1_000);
    let most = 0;
    for (let i = 0; i < 10_000; i++) {
      expect(l.take(`id-${i}`, 0)).toBe(true);
      most = Math.max(most, l.size);
    }
    expect(most).toBe(1_000);
    expect(l.size).toBeLessThanOrEqual(l.capacity);
  });

  it('keeps limiting a key that keeps sending while 10,000 others churn through the map', () => {
    const l = createRateLimiter(30, 5, 100);
    let hot = 0;
    for (let i = 0; i < 10_000; i++) {
      // The hot key asks once per 50 new keys (under the capacity of 100), all at one instant:
      // it stays remembered and gets its burst only.
      if (i % 50 === 0 && l.take('hot', 0)) hot++;
      l.take(`churn-${i}`, 0);
      expect(l.size).toBeLessThanOrEqual(100);
    }
    expect(hot).toBe(5);
  });

  it('forgets keys whose buckets are full again, so idle keys cost nothing', () => {
    const l = createRateLimiter(60, 2, 1_000);
    for (let i = 0; i < 500; i++) l.take(`k${i}`, 0);
    expect(l.size).toBe(500);
    // Two minutes later every bucket is full: the next take sweeps them all.
    l.take('later', 120_000);
    expect(l.size).toBe(1);
  });

  it('grants nothing extra when the clock steps back', () => {
    const l = createRateLimiter(60, 3);
    expect(takes(l, 'a', 3, 100_000)).toBe(3);
    expect(takes(l, 'a', 3, 0)).toBe(0);
    expect(takes(l, 'a', 3, 100_500)).toBe(0);
    expect(takes(l, 'a', 3, 101_000)).toBe(1);
  });

  it('is off at 0 per minute', () => {
    const l = createRateLimiter(0);
    expect(takes(l, 'a', 1_000, 0)).toBe(1_000);
    expect(l.size).toBe(0);
  });

  it('keys IPv6 clients by their /64, IPv4 (mapped or not) by the address', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    const a = addressKey('2001:db8:1:2::1');
    expect(a).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe(a);
    expect(addressKey('2001:db8:1:2:aaaa::9%eth0')).toBe(a);
    expect(addressKey('2001:db8:1:3::1')).not.toBe(a);
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    // One subscriber rotating through its /64 shares one bucket.
    const l = createRateLimiter(600, 3);
    const allowed = Array.from({ length: 10 }, (_, i) => l.take(addressKey(`2001:db8:1:2::${i + 1}`), 0));
    expect(allowed.filter(Boolean).length).toBe(3);
  });
});
