import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { REDRAW_EVERY_MS, startRedraw } from './redraw.ts';

describe('redraw loop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('draws once at start, again only when the key changes, within one tick of the change', async () => {
    let state = 1;
    const draw = vi.fn(async () => {});
    startRedraw(
      async () => state,
      (s) => String(s),
      draw,
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(draw).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 5);
    expect(draw).toHaveBeenCalledTimes(1);
    state = 2;
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS);
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('catches a draw that throws or rejects, and retries it on the next tick', async () => {
    let fail = true;
    const draw = vi.fn(async () => {
      if (fail) throw new Error('broken list');
    });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    startRedraw(
      async () => 'same',
      (s) => s,
      draw,
    );
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 2);
    // Failed draws do not count as drawn: the same key is tried again.
    expect(draw.mock.calls.length).toBeGreaterThanOrEqual(2);
    fail = false;
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS);
    const calls = draw.mock.calls.length;
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 3);
    expect(draw).toHaveBeenCalledTimes(calls);
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('catches a state read or key that throws', async () => {
    const draw = vi.fn(async () => {});
    startRedraw(
      async () => {
        throw new Error('no tag');
      },
      () => 'k',
      draw,
    );
    startRedraw(
      async () => 1,
      () => {
        throw new Error('bad key');
      },
      draw,
    );
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 2);
    expect(draw).not.toHaveBeenCalled();
  });

  it('never runs two draws at once; a request during a draw runs right after it', async () => {
    let state = 1;
    let running = 0;
    let most = 0;
    const draw = vi.fn(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, REDRAW_EVERY_MS * 3));
      running--;
    });
    const r = startRedraw(
      async () => state,
      (s) => String(s),
      draw,
    );
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS);
    state = 2;
    r.now();
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 3);
    // The first draw ended at 900 ms; the second started at once, not at the next 300 ms tick.
    expect(draw).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(REDRAW_EVERY_MS * 6);
    expect(most).toBe(1);
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('now() redraws even when the key is unchanged (a mode the shopper picked)', async () => {
    const draw = vi.fn(async () => {});
    const r = startRedraw(
      async () => 'same',
      (s) => s,
      draw,
    );
    await vi.advanceTimersByTimeAsync(0);
    r.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(draw).toHaveBeenCalledTimes(2);
  });
});
