import type { EventType, PortraitEvent, ProductInfo } from './events.ts';
import { scrubPii } from './pii.ts';

/** Longest text handed to the encoder; a product line fits well inside a 128-token window. */
export const MAX_TEXT_CHARS = 400;

/**
 * Most characters of a product's description that join its text (cut at a word boundary). Zero:
 * on the Amazon dev sets, which carry descriptions, 120 characters cost every Industrial row
 * (related HR@10 0.1591 -> 0.1564, last-step similarity 0.1439 -> 0.1390) and moved Office's by
 * under 0.003 either way (eval `--description-chars`, table in the eval README). A listing's
 * first sentences are mostly specifications and boilerplate, and the sentence encoder averages
 * them into the title's meaning.
 */
export const DESCRIPTION_CHARS = 0;

// The description's first `n` characters, ending at a word boundary; undefined if none fit.
function descriptionSnippet(d: string | undefined, n: number): string | undefined {
  if (!d || !(n > 0)) return undefined;
  const flat = d
    .slice(0, n * 2)
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= n) return flat || undefined;
  const cut = flat.slice(0, n + 1);
  const space = cut.lastIndexOf(' ');
  return (space > 0 ? cut.slice(0, space) : flat.slice(0, n)) || undefined;
}

/** Coarse price band words; bands, not prices, so items of one kind and budget share words. */
export function priceBand(price: number | undefined): string | undefined {
  if (price === undefined || !Number.isFinite(price) || price < 0) return undefined;
  if (price < 25) return 'under 25';
  if (price < 100) return '25-100';
  if (price < 250) return '100-250';
  return 'over 250';
}

/**
 * Shops that shout ("WHITE HANGING HEART T-LIGHT HOLDER") are lower-cased: the encoder is
 * case-sensitive, and all-caps pieces are rare in its vocabulary. On the retail evaluation set
 * this alone lifted the multi-interest profile's HR@20 from 0.041 to 0.054.
 */
function readableTitle(title: string): string {
  return /\p{Lu}.*\p{Lu}/u.test(title) && !/\p{Ll}/u.test(title) ? title.toLowerCase() : title;
}

/**
 * The item's own words: title, category path, brand, variant. The event type is deliberately
 * absent: it is carried by the update weight instead, so "viewed X" and "bought X" embed to the
 * same point and a purchase reinforces the interest its views started, rather than pulling the
 * profile toward the word "bought". The price band is left out too: most of a shop's items share
 * one band, and the shared words pulled unrelated items together (retail evaluation: HR@20 0.054
 * with it, 0.077 without). A bare id is used only when nothing else describes the item (it still
 * keys the catalogue vector lookup). The description adds at most `descriptionChars` characters.
 */
export function productText(p: ProductInfo, descriptionChars: number = DESCRIPTION_CHARS): string {
  const parts: string[] = [];
  if (p.title) parts.push(readableTitle(p.title));
  if (p.category) parts.push(p.category);
  if (p.brand) parts.push(p.brand);
  if (p.variant) parts.push(p.variant);
  const d = descriptionSnippet(p.description, descriptionChars);
  if (d) parts.push(d);
  if (parts.length === 0) parts.push(p.id);
  return parts.join('. ');
}

type Renderer = (event: PortraitEvent, descriptionChars: number) => string | undefined;

const ofProduct: Renderer = (e, n) => (e.product ? productText(e.product, n) : undefined);

// One renderer per event type; most are the product's words, the type lives in the weight.
const RENDERERS: Record<EventType, Renderer> = {
  view: ofProduct,
  impression: ofProduct,
  click: ofProduct,
  dwell: ofProduct,
  add_to_cart: ofProduct,
  remove_from_cart: ofProduct,
  begin_checkout: ofProduct,
  purchase: ofProduct,
  // The rating changes the weight's sign and size, not the text: a 1-star review is about the same item.
  review: ofProduct,
  like: ofProduct,
  share: ofProduct,
  // A query is the shopper's own words: it is what they want, not an item they saw.
  search: (e) => e.query,
  custom: (e, n) => (e.product ? productText(e.product, n) : e.name),
};

/**
 * The sentence the encoder embeds for an event, PII-scrubbed and length-capped;
 * undefined when the event has no words (a bare custom event).
 */
export function eventText(event: PortraitEvent, descriptionChars: number = DESCRIPTION_CHARS): string | undefined {
  const raw = RENDERERS[event.type]?.(event, descriptionChars);
  if (!raw) return undefined;
  // Cap before scrubbing too, so the regexes never run over an unbounded string.
  const text = scrubPii(raw.slice(0, MAX_TEXT_CHARS * 2))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_TEXT_CHARS);
  return text === '' ? undefined : text;
}

/**
 * The sentence the worker embeds for any event about this product (view, click, purchase, …: they
 * share one text). A server-side catalogue import must embed this, not `productText`: the event
 * text also collapses whitespace and scrubs PII, and "wrap  pink flock" (two spaces, as 144 of the
 * retail set's 3,659 titles have) embeds at cosine 0.956 to "wrap pink flock".
 */
export function itemText(p: ProductInfo, descriptionChars: number = DESCRIPTION_CHARS): string {
  return eventText({ id: '', type: 'view', ts: 0, product: p }, descriptionChars) ?? p.id;
}
