import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, type PortraitEvent } from './events.ts';
import { DESCRIPTION_CHARS, eventText, itemText, MAX_TEXT_CHARS, priceBand } from './text.ts';

const product = {
  id: 'sku-1',
  title: 'Trail running shoe',
  category: 'Sports > Running > Shoes',
  brand: 'Salomon',
  price: 129,
  variant: 'red, 42',
};
const ev = (type: EventType, extra: Partial<PortraitEvent> = {}): PortraitEvent => ({
  id: 'e',
  type,
  ts: 1,
  product,
  ...extra,
});

describe('eventText', () => {
  const productTypes = EVENT_TYPES.filter((t) => t !== 'search');

  it.each(productTypes)('renders a %s as the item words only (title, category, brand, variant)', (type) => {
    expect(eventText(ev(type, { rating: 5 }))).toBe('Trail running shoe. Sports > Running > Shoes. Salomon. red, 42');
  });

  it('lower-cases shouting titles but leaves mixed-case ones alone', () => {
    const p = (title: string) => eventText({ id: 'e', type: 'view', ts: 1, product: { id: 'x', title } });
    expect(p('WHITE HANGING HEART T-LIGHT HOLDER')).toBe('white hanging heart t-light holder');
    expect(p('USB-C Charger')).toBe('USB-C Charger');
    expect(p('TV')).toBe('tv');
  });

  it('renders the same text for a view and a purchase of one item (the type lives in the weight)', () => {
    expect(eventText(ev('view'))).toBe(eventText(ev('purchase')));
  });

  it('renders a search as its query, not a product', () => {
    expect(eventText({ id: 'e', type: 'search', ts: 1, query: 'waterproof jacket', product })).toBe(
      'waterproof jacket',
    );
  });

  it('renders a custom event without product as its name, and nothing when it has none', () => {
    expect(eventText({ id: 'e', type: 'custom', ts: 1, name: 'newsletter cooking' })).toBe('newsletter cooking');
    expect(eventText({ id: 'e', type: 'custom', ts: 1 })).toBeUndefined();
  });

  it('falls back to the id only when nothing else describes the item', () => {
    expect(eventText({ id: 'e', type: 'view', ts: 1, product: { id: 'sku-9' } })).toBe('sku-9');
    expect(eventText({ id: 'e', type: 'view', ts: 1, product: { id: 'sku-9', brand: 'Acme' } })).toBe('Acme');
  });

  it('scrubs PII from queries and product fields before embedding', () => {
    const t = eventText({
      id: 'e',
      type: 'search',
      ts: 1,
      query: 'gift for jane.doe@example.com call +44 20 7946 0958',
    });
    expect(t).toBe('gift for [email] call [phone]');
    const p = eventText({ id: 'e', type: 'view', ts: 1, product: { id: 'p', title: 'Card 4111 1111 1111 1111 case' } });
    expect(p).toBe('Card [number] case');
  });

  it('caps the text length and collapses whitespace', () => {
    const long = { id: 'p', title: 'a '.repeat(300), category: 'b'.repeat(300), brand: 'c'.repeat(300) };
    const t = eventText({ id: 'e', type: 'view', ts: 1, product: long }) ?? '';
    expect(t.length).toBe(MAX_TEXT_CHARS);
    expect(t).not.toMatch(/\s{2}/);
  });
});

describe('priceBand', () => {
  it.each([
    [0, 'under 25'],
    [24.99, 'under 25'],
    [25, '25-100'],
    [99, '25-100'],
    [100, '100-250'],
    [250, 'over 250'],
    [1e9, 'over 250'],
    [Number.NaN, undefined],
    [-1, undefined],
    [undefined, undefined],
  ])('%s -> %s', (price, band) => {
    expect(priceBand(price)).toBe(band);
  });
});

describe('itemText', () => {
  it.each(EVENT_TYPES.filter((t) => t !== 'search'))('is the text the worker embeds for a %s of the item', (type) => {
    for (const p of [product, { id: 'x', title: 'WRAP  PINK FLOCK ' }, { id: 'y', title: ' call 555-123-4567 ' }]) {
      expect(itemText(p)).toBe(eventText({ id: 'e', type, ts: 1, product: p }));
    }
  });

  it('collapses runs of whitespace where productText keeps them', () => {
    expect(itemText({ id: 'x', title: 'WRAP  PINK FLOCK' })).toBe('wrap pink flock');
  });

  it('falls back to the id when nothing describes the item', () => {
    expect(itemText({ id: 'sku-9' })).toBe('sku-9');
  });
});

describe('description budget', () => {
  const p = { id: 'x', title: 'Safety goggles', description: 'Anti-fog  lenses, indirect vents. Fits over glasses.' };

  it('leaves the description out at the default budget (the value the dev sets chose)', () => {
    expect(DESCRIPTION_CHARS).toBe(0);
    expect(itemText(p)).toBe('Safety goggles');
  });

  it('adds at most the budget, cut at a word boundary, whitespace collapsed', () => {
    expect(itemText(p, 20)).toBe('Safety goggles. Anti-fog lenses,');
    expect(itemText(p, 1000)).toBe('Safety goggles. Anti-fog lenses, indirect vents. Fits over glasses.');
    expect(eventText({ id: 'e', type: 'purchase', ts: 1, product: p }, 20)).toBe(itemText(p, 20));
  });

  it('cuts a single long word at the budget and scrubs PII from the description too', () => {
    expect(itemText({ id: 'x', description: 'abcdefghij' }, 4)).toBe('abcd');
    expect(itemText({ id: 'x', title: 'Mug', description: 'Ask jane.doe@example.com for a quote' }, 100)).not.toContain(
      'jane.doe',
    );
  });
});
