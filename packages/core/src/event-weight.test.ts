import { describe, expect, it } from 'vitest';
import { EVENT_WEIGHTS, eventWeight } from './event-weight.ts';
import { event } from './test-helpers.ts';

describe('eventWeight', () => {
  const view = event('view', 1);
  it('orders intent: impression < view < click < dwell-scaled view < add_to_cart < purchase', () => {
    const w = [
      eventWeight(event('impression', 1)),
      eventWeight(view),
      eventWeight(event('click', 1)),
      eventWeight({ ...view, dwellMs: 60_000 }),
      eventWeight(event('add_to_cart', 1)),
      eventWeight(event('purchase', 1)),
    ];
    expect([...w].sort((a, b) => a - b)).toEqual(w);
    expect(new Set(w).size).toBe(w.length);
  });

  it('saturates dwell and turns bad reviews and removals into negative feedback', () => {
    expect(eventWeight({ ...view, dwellMs: 30 * 60_000 })).toBe(2);
    expect(eventWeight({ ...view, dwellMs: Number.NaN })).toBe(EVENT_WEIGHTS.view);
    expect(eventWeight(event('remove_from_cart', 1))).toBeLessThan(0);
    expect(eventWeight(event('review', 1, { rating: 1 }))).toBeLessThan(0);
    expect(eventWeight(event('review', 1, { rating: 3 }))).toBe(0);
    expect(eventWeight(event('review', 1, { rating: 5 }))).toBe(EVENT_WEIGHTS.review);
  });
});
