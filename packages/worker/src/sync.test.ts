import { describe, expect, it } from 'vitest';
import { backoffMs } from './sync';

describe('backoffMs', () => {
  it('grows exponentially under full jitter and is capped at 15 minutes', () => {
    const max = () => 0.999999;
    expect(backoffMs(0, max)).toBeLessThan(2_000);
    expect(backoffMs(3, max)).toBeGreaterThan(15_000);
    expect(backoffMs(3, max)).toBeLessThan(16_000);
    expect(backoffMs(50, max)).toBeLessThanOrEqual(15 * 60_000);
    expect(backoffMs(5, () => 0)).toBe(0);
  });
});
