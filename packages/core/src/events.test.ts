import { describe, expect, it } from 'vitest';
import { parseEvent } from './events';

describe('parseEvent', () => {
  it('keeps known fields and drops unknown ones', () => {
    const r = parseEvent({
      id: 'e1',
      type: 'view',
      ts: 1,
      product: { id: 7, title: ' Shoe ', extra: 'x' },
      url: 'https://x',
    });
    expect(r).toEqual({ ok: true, event: { id: 'e1', type: 'view', ts: 1, product: { id: '7', title: 'Shoe' } } });
  });

  it.each([
    [null, 'not an object'],
    [{ id: 'a', type: 'hover', ts: 1 }, 'unknown event type'],
    [{ type: 'view', ts: 1, product: { id: '1' } }, 'no id'],
    [{ id: 'a', type: 'view', ts: Number.NaN, product: { id: '1' } }, 'timestamp'],
    [{ id: 'a', type: 'view', ts: 1 }, 'without product'],
    [{ id: 'a', type: 'search', ts: 1, query: '   ' }, 'without query'],
  ])('rejects %j with a reason', (raw, reason) => {
    const r = parseEvent(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('clamps dwell and quantity, ignores negative prices', () => {
    const r = parseEvent({
      id: 'a',
      type: 'purchase',
      ts: 1,
      quantity: 1e9,
      dwellMs: 1e12,
      product: { id: 'p', price: -3 },
    });
    expect(r.ok && r.event).toEqual({
      id: 'a',
      type: 'purchase',
      ts: 1,
      quantity: 1000,
      dwellMs: 1_800_000,
      product: { id: 'p' },
    });
  });
});
