import type { Dataset } from './types.ts';

/**
 * The data set without item prices. Core's event text appends a price band ("price under 25");
 * in a shop where nearly every item is in one band that suffix is shared by every text and pulls
 * all embeddings together. This measures what leaving it out would buy.
 */
export function dropPrice(ds: Dataset): Dataset {
  return {
    ...ds,
    items: ds.items.map(({ price: _price, ...rest }) => rest),
  };
}
