import { describe, expect, it } from 'vitest';
import { dwellClock } from './dwell.ts';

describe('dwellClock', () => {
  it('counts visible time with regular input', () => {
    const c = dwellClock(30_000, 0, true);
    c.input(5_000);
    expect(c.ms(10_000)).toBe(10_000);
  });

  it('excludes hidden time', () => {
    const c = dwellClock(30_000, 0, true);
    c.visibility(2_000, false);
    c.visibility(12_000, true);
    expect(c.ms(15_000)).toBe(5_000);
  });

  it('stops the clock idleMs after the last input and restarts it on input', () => {
    const c = dwellClock(5_000, 0, true);
    expect(c.ms(60_000)).toBe(5_000);
    c.input(60_000);
    expect(c.ms(62_000)).toBe(7_000);
  });

  it('does not run while the page starts hidden', () => {
    const c = dwellClock(30_000, 0, false);
    c.input(1_000);
    expect(c.ms(4_000)).toBe(0);
    c.visibility(4_000, true);
    expect(c.ms(5_000)).toBe(1_000);
  });

  it('ignores repeated visibility signals', () => {
    const c = dwellClock(30_000, 0, true);
    c.visibility(1_000, true);
    c.visibility(2_000, false);
    c.visibility(3_000, false);
    expect(c.ms(9_000)).toBe(2_000);
  });
});
