import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, MAX_FIELD_CHARS, parseEvent } from './events.ts';

describe('parseEvent', () => {
  it('keeps known fields and drops unknown ones', () => {
    const r = parseEvent({
      id: 'e1',
      type: 'view',
      ts: 1,
      product: { id: 7, title: ' Shoe ', variant: 'red', extra: 'x' },
      scrollDepth: 0.5,
      url: 'https://x',
    });
    expect(r).toEqual({
      ok: true,
      event: { id: 'e1', type: 'view', ts: 1, scrollDepth: 0.5, product: { id: '7', title: 'Shoe', variant: 'red' } },
    });
  });

  it.each([
    [null, 'not an object'],
    ['view', 'not an object'],
    [{ id: 'a', type: 'hover', ts: 1 }, 'unknown event type'],
    [{ id: 'a', type: 7, ts: 1 }, 'unknown event type'],
    [{ type: 'view', ts: 1, product: { id: '1' } }, 'no id'],
    [{ id: 3, type: 'view', ts: 1, product: { id: '1' } }, 'no id'],
    [{ id: 'a', type: 'view', ts: Number.NaN, product: { id: '1' } }, 'timestamp'],
    [{ id: 'a', type: 'view', ts: Number.POSITIVE_INFINITY, product: { id: '1' } }, 'timestamp'],
    [{ id: 'a', type: 'view', ts: '5', product: { id: '1' } }, 'timestamp'],
    [{ id: 'a', type: 'view', ts: 1 }, 'without product'],
    [{ id: 'a', type: 'like', ts: 1, product: { id: Number.NaN } }, 'without product'],
    [{ id: 'a', type: 'search', ts: 1, query: '   ' }, 'without query'],
    [{ id: 'a', type: 'review', ts: 1, product: { id: 'p' } }, 'without rating'],
    [{ id: 'a', type: 'review', ts: 1, product: { id: 'p' }, rating: 9 }, 'without rating'],
  ])('rejects %j with a reason', (raw, reason) => {
    const r = parseEvent(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('accepts every event type with its required fields', () => {
    for (const type of EVENT_TYPES) {
      const r = parseEvent({ id: 'a', type, ts: 1, product: { id: 'p' }, query: 'q', rating: 4 });
      expect(r.ok, type).toBe(true);
    }
  });

  it('clamps dwell, scroll depth and quantity, drops negative and NaN prices', () => {
    const r = parseEvent({
      id: 'a',
      type: 'purchase',
      ts: 1,
      quantity: 1e9,
      dwellMs: 1e12,
      scrollDepth: 7,
      product: { id: 'p', price: -3 },
    });
    expect(r.ok && r.event).toEqual({
      id: 'a',
      type: 'purchase',
      ts: 1,
      quantity: 1000,
      dwellMs: 1_800_000,
      scrollDepth: 1,
      product: { id: 'p' },
    });
    const nan = parseEvent({
      id: 'a',
      type: 'view',
      ts: 1,
      product: { id: 'p', price: Number.NaN },
      dwellMs: Number.NaN,
    });
    expect(nan.ok && nan.event).toEqual({ id: 'a', type: 'view', ts: 1, product: { id: 'p' } });
  });

  it('caps a 1 MB string to a few hundred characters in every text field', () => {
    const huge = 'x'.repeat(1_000_000);
    const r = parseEvent({
      id: huge,
      type: 'search',
      ts: 1,
      query: huge,
      name: huge,
      product: { id: huge, title: huge },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const sizes = [r.event.id, r.event.query, r.event.name, r.event.product?.id, r.event.product?.title].map(
      (s) => s?.length,
    );
    expect(sizes).toEqual(Array(5).fill(MAX_FIELD_CHARS));
    expect(JSON.stringify(r.event).length).toBeLessThan(2_000);
  });

  it('keeps a review rating between 1 and 5', () => {
    const r = parseEvent({ id: 'a', type: 'review', ts: 1, product: { id: 'p' }, rating: 2 });
    expect(r.ok && r.event.rating).toBe(2);
  });
});
