import type { PortraitEvent } from './events';

/**
 * Renders an event as the sentence the encoder embeds. Only the item's own words go in:
 * the event type is carried by the update weight, so "viewed X" and "bought X" land on the same point.
 */
export function eventText(event: PortraitEvent): string | undefined {
  if (event.type === 'search') return event.query;
  const p = event.product;
  if (!p) return event.name;
  const parts = [p.title ?? p.id];
  if (p.category) parts.push(p.category);
  if (p.brand) parts.push(p.brand);
  return parts.join('. ');
}
