import { describe, expect, it } from 'vitest';
import { listWords, shares, summary } from './words.ts';

describe('profile page words', () => {
  it('shares count each department once per entry, skip unknown ones and sum to 1, largest first', () => {
    const s = shares(['Kitchen', 'Running', 'Kitchen', undefined, 'Kitchen', 'Coffee']);
    expect(s.map((x) => x.label)).toEqual(['Kitchen', 'Running', 'Coffee']);
    expect(s[0]?.share).toBeCloseTo(3 / 5, 12);
    expect(s.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 12);
    expect(shares([])).toEqual([]);
  });

  it('names departments as a reader would list them', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['Running'])).toBe('Running');
    expect(listWords(['Running', 'Kitchen'])).toBe('Running and Kitchen');
    expect(listWords(['Running', 'Kitchen', 'Coffee'])).toBe('Running, Kitchen and Coffee');
  });

  it('says what the device thinks now and over time, leaving out departments under a fifth', () => {
    const now = shares(['Kitchen', 'Kitchen', 'Kitchen', 'Running', 'Running']);
    const long = shares([...Array(14).fill('Running'), ...Array(5).fill('Kitchen'), 'Coffee']);
    const text = summary(now, long);
    expect(text).toBe('Right now you are looking at Kitchen and Running. Over time you like Running and Kitchen most.');
    expect(text).not.toContain('Coffee');
  });

  it('says nothing is known rather than naming a department for an empty profile', () => {
    expect(summary([], [])).toMatch(/^Nothing yet/);
    expect(summary([], shares(['Books']))).toBe('Over time you like Books most.');
  });
});
