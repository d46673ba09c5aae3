/** Event types Portrait understands. Weights live in `profile.ts`. */
export const EVENT_TYPES = [
  'view',
  'impression',
  'click',
  'search',
  'add_to_cart',
  'remove_from_cart',
  'begin_checkout',
  'purchase',
  'custom',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** What the page knows about a product; only text that describes the item, never the shopper. */
export interface ProductInfo {
  id: string;
  title?: string;
  category?: string;
  brand?: string;
  price?: number;
}

/** One captured shopper event, as it crosses from the page to the worker. */
export interface PortraitEvent {
  /** Random id made on the page; the worker uses it to apply each event at most once. */
  id: string;
  type: EventType;
  /** Epoch milliseconds on the device clock. */
  ts: number;
  product?: ProductInfo;
  /** Search query text, already scrubbed of PII. */
  query?: string;
  /** Visible, active time on the product, in milliseconds. */
  dwellMs?: number;
  quantity?: number;
  /** Free label for `custom` events (e.g. 'review', 'share'). */
  name?: string;
}

export type EventRejection = { ok: false; reason: string };
export type EventResult = { ok: true; event: PortraitEvent } | EventRejection;

const MAX_TEXT = 300;
const isType = (t: unknown): t is EventType => typeof t === 'string' && (EVENT_TYPES as readonly string[]).includes(t);
const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
const text = (s: unknown): string | undefined =>
  typeof s === 'string' && s.trim() !== '' ? s.trim().slice(0, MAX_TEXT) : undefined;

function product(raw: unknown): ProductInfo | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === 'number' ? String(r.id) : text(r.id);
  if (!id) return undefined;
  const p: ProductInfo = { id };
  const title = text(r.title);
  const category = text(r.category);
  const brand = text(r.brand);
  if (title) p.title = title;
  if (category) p.category = category;
  if (brand) p.brand = brand;
  if (finite(r.price) && r.price >= 0) p.price = r.price;
  return p;
}

/**
 * Validates an untrusted event (from the page, a dataLayer or a replayed store).
 * Unknown fields are dropped so nothing unexpected reaches storage.
 */
export function parseEvent(raw: unknown): EventResult {
  if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'event is not an object' };
  const r = raw as Record<string, unknown>;
  if (!isType(r.type)) return { ok: false, reason: `unknown event type ${JSON.stringify(r.type)}` };
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
  if (finite(r.dwellMs) && r.dwellMs >= 0) event.dwellMs = Math.min(r.dwellMs, 30 * 60_000);
  if (finite(r.quantity) && r.quantity > 0) event.quantity = Math.min(r.quantity, 1000);
  if (event.type === 'search' ? !event.query : event.type !== 'custom' && !event.product) {
    return { ok: false, reason: `${event.type} event without ${event.type === 'search' ? 'query' : 'product'}` };
  }
  return { ok: true, event };
}
