/** Event types Portrait understands. Weights live in `event-weight.ts`, renderers in `text.ts`. */
export const EVENT_TYPES = [
  'view',
  'impression',
  'click',
  'dwell',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'begin_checkout',
  'purchase',
  'review',
  'like',
  'share',
  'custom',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What the page knows about a product; only text that describes the item, never the shopper. */
export interface ProductInfo {
  id: string;
  title?: string;
  /** Category path, e.g. "Sports > Running > Shoes". */
  category?: string;
  brand?: string;
  /** Non-negative, finite; in the shop's currency. */
  price?: number;
  /** Size, colour or other variant label, e.g. "red, 42". */
  variant?: string;
  /** The listing's description; only its first `DESCRIPTION_CHARS` characters reach the text. */
  description?: string;
}

/** One captured shopper event, as it crosses from the page to the worker. */
export interface PortraitEvent {
  /** Random id made on the page; the worker uses it to apply each event at most once. */
  id: string;
  type: EventType;
  /** Epoch milliseconds on the device clock. */
  ts: number;
  product?: ProductInfo;
  /** Search query text (scrubbed of PII again before it is embedded). */
  query?: string;
  /** Visible, active time on the product, in milliseconds (0 .. 30 min). */
  dwellMs?: number;
  /** How far down the product page the shopper scrolled, 0..1 (views). */
  scrollDepth?: number;
  quantity?: number;
  /** Star rating 1-5 (reviews). */
  rating?: number;
  /** Free label for `custom` events. */
  name?: string;
}

export type EventRejection = { ok: false; reason: string };
export type EventResult = { ok: true; event: PortraitEvent } | EventRejection;

/** Longest string kept from any field: enough for a product title, far short of a 1 MB payload. */
export const MAX_FIELD_CHARS = 300;
const MAX_DWELL_MS = 30 * 60_000;

const isType = (t: unknown): t is EventType => typeof t === 'string' && (EVENT_TYPES as readonly string[]).includes(t);
const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
// Slice before trimming as well, so a 1 MB string costs one bounded copy, not a full trim.
const text = (s: unknown): string | undefined => {
  if (typeof s !== 'string') return undefined;
  const t = s
    .slice(0, MAX_FIELD_CHARS * 2)
    .trim()
    .slice(0, MAX_FIELD_CHARS);
  return t === '' ? undefined : t;
};

function product(raw: unknown): ProductInfo | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const id = finite(r.id) ? String(r.id) : text(r.id);
  if (!id) return undefined;
  const p: ProductInfo = { id };
  const title = text(r.title);
  const category = text(r.category);
  const brand = text(r.brand);
  const variant = text(r.variant);
  const description = text(r.description);
  if (title) p.title = title;
  if (category) p.category = category;
  if (brand) p.brand = brand;
  if (variant) p.variant = variant;
  if (description) p.description = description;
  // NaN, Infinity and negative prices are dropped: a bad price must not fail the whole event.
  if (finite(r.price) && r.price >= 0) p.price = r.price;
  return p;
}

function needs(event: PortraitEvent): string | undefined {
  switch (event.type) {
    case 'search':
      return event.query ? undefined : 'query';
    case 'review':
      return !event.product ? 'product' : event.rating === undefined ? 'rating' : undefined;
    case 'custom':
      return undefined;
    default:
      return event.product ? undefined : 'product';
  }
}

/**
 * Validates an untrusted event (from the page, a dataLayer or a replayed store): the single
 * gate for input. Unknown fields are dropped, strings capped, non-finite numbers ignored, so
 * nothing unexpected reaches storage or the profile.
 */
export function parseEvent(raw: unknown): EventResult {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'event is not an object' };
  const r = raw as Record<string, unknown>;
  if (!isType(r.type)) {
    const shown = typeof r.type === 'string' ? r.type.slice(0, 40) : typeof r.type;
    return { ok: false, reason: `unknown event type ${JSON.stringify(shown)}` };
  }
  const id = text(r.id);
  if (!id) return { ok: false, reason: 'event has no id' };
  if (!finite(r.ts) || r.ts <= 0) return { ok: false, reason: 'event has no valid timestamp' };
  const event: PortraitEvent = { id, type: r.type, ts: r.ts };
  const p = product(r.product);
  if (p) event.product = p;
  const query = text(r.query);
  if (query) event.query = query;
  const name = text(r.name);
  if (name) event.name = name;
  if (finite(r.dwellMs) && r.dwellMs >= 0) event.dwellMs = Math.min(r.dwellMs, MAX_DWELL_MS);
  if (finite(r.scrollDepth)) event.scrollDepth = Math.min(1, Math.max(0, r.scrollDepth));
  if (finite(r.quantity) && r.quantity > 0) event.quantity = Math.min(r.quantity, 1000);
  if (finite(r.rating) && r.rating >= 1 && r.rating <= 5) event.rating = r.rating;
  const missing = needs(event);
  if (missing) return { ok: false, reason: `${event.type} event without ${missing}` };
  return { ok: true, event };
}
