import { describe, expect, it } from 'vitest';
import { PRODUCTS } from '../products.ts';
import { rankedCards, searchReason } from './search-rank.ts';

const [a, b, c] = PRODUCTS as [(typeof PRODUCTS)[0], (typeof PRODUCTS)[0], (typeof PRODUCTS)[0]];
const results = [a, b, c];
const words = (item: { id: string; reason: string }) => `${item.reason}:${item.id}`;

describe('search results in the device order', () => {
  it("takes the worker's permutation of the results, each with its reason", () => {
    const cards = rankedCards(
      results,
      [
        { id: c.id, reason: 'matches-profile' },
        { id: a.id, reason: 'shop-order' },
        { id: b.id, reason: 'popular' },
      ],
      words,
    );
    expect(cards?.map((x) => x.p.id)).toEqual([c.id, a.id, b.id]);
    expect(cards?.map((x) => x.source)).toEqual(['matches-profile', 'shop-order', 'popular']);
    expect(cards?.[0]?.reason).toBe(`matches-profile:${c.id}`);
  });

  it("keeps the shop's order (undefined) for any answer that is not exactly the results shown", () => {
    const ok = (id: string) => ({ id, reason: 'shop-order' });
    for (const bad of [
      undefined,
      { code: 'worker/bad-argument' },
      [ok(a.id), ok(b.id)],
      [ok(a.id), ok(b.id), ok(b.id)],
      [ok(a.id), ok(b.id), ok('not-a-result')],
      [ok(a.id), ok(b.id), { id: c.id }],
      [ok(a.id), ok(b.id), ok(c.id), ok('extra')],
    ])
      expect(rankedCards(results, bad, words)).toBeUndefined();
  });

  it('says a kept result matches the query, a moved one what moved it', () => {
    const none = () => undefined;
    expect(searchReason({ id: a.id, reason: 'shop-order' }, 'espresso', none)).toBe('Best match for “espresso”');
    expect(searchReason({ id: a.id, reason: 'matches-profile' }, 'espresso', () => b)).toBe(
      `Because you looked at ${b.title}`,
    );
    expect(searchReason({ id: a.id, reason: 'matches-profile' }, 'espresso', none)).toBe(
      'Matches what you have been browsing',
    );
    expect(searchReason({ id: a.id, reason: 'bought-next' }, 'espresso', none)).toBe('Shoppers often buy this next');
    expect(searchReason({ id: a.id, reason: 'popular' }, 'espresso', none)).toBe('Popular in the shop');
  });
});
