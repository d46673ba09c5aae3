import { describe, expect, it } from 'vitest';
import type { DataEvent } from '../data/types.ts';
import { Popularity } from './popularity.ts';

const ev = (item: number, ts: number): DataEvent => ({ user: 'u', item, ts, type: 'purchase', seq: ts });

describe('Popularity (no peeking)', () => {
  const events = [ev(0, 10), ev(0, 20), ev(1, 20), ev(1, 30), ev(1, 40), ev(2, 50)];
  const pop = new Popularity(events, 3, () => true);

  it('counts only events strictly before the time asked', () => {
    expect(pop.countBefore(0, 20)).toBe(1); // the ts-20 event is the step being predicted
    expect(pop.countBefore(1, 20)).toBe(0);
    expect(pop.countBefore(1, 41)).toBe(3);
    expect(pop.countBefore(2, 50)).toBe(0);
  });

  it('ranks by the past: at t=25 item 0 leads although item 1 is more popular later', () => {
    const out = new Float32Array(3);
    pop.scores(25, out);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeGreaterThan(0);
    expect(out[1]).toBeLessThan(1);
    expect(out[2]).toBe(0);
    pop.scores(100, out);
    expect(out[1]).toBe(1);
  });

  it('counts only the window before t for recent popularity, never t itself or later', () => {
    const out = new Float32Array(3);
    pop.scores(41, out, 15); // events in [26, 41): item 1 at 30 and 40
    expect([...out]).toEqual([0, 1, 0]);
    pop.scores(50, out, 25); // [25, 50): item 1 twice; item 2's event at 50 is the step itself
    expect(out[1]).toBe(1);
    expect(out[2]).toBe(0);
  });

  it('is all zeros before the first event', () => {
    const out = new Float32Array(3).fill(7);
    pop.scores(10, out);
    expect([...out]).toEqual([0, 0, 0]);
  });
});
