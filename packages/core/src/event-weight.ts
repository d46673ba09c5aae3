import type { EventType, PortraitEvent } from './events.ts';

/**
 * How strongly each event type pulls the profile toward the item, in "views of a minute"
 * (1 = a dwell of about a minute); negative pushes away. Ordered by intent:
 * impression < view < click < dwell-scaled view < add_to_cart < purchase.
 * `dwell` and `view` are scaled by dwell time, `review` by its rating (see `eventWeight`).
 */
export const EVENT_WEIGHTS = {
  impression: 0.1,
  view: 0.5,
  click: 0.7,
  dwell: 1,
  search: 0.8,
  like: 1.5,
  share: 1.5,
  review: 2,
  begin_checkout: 2,
  add_to_cart: 3,
  purchase: 5,
  remove_from_cart: -0.5,
  custom: 0.3,
} as const satisfies Record<EventType, number>;

/** 0 at no dwell, 1 after about a minute: attention saturates, so ten minutes is not ten times a minute. */
function dwellFactor(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(1, Math.log1p(ms / 10_000) / Math.log1p(6));
}

/**
 * Weight of one event. A view grows from 0.5 to 2 with dwell (so a long view outweighs a click);
 * a dwell event from 1 to 2; a review is +2 at 5 stars, 0 at 3 and -0.5 at 1 star (negative
 * feedback); everything else is its type's weight. Always finite, in [-0.5, 5]. Quantity and
 * scroll depth are deliberately ignored: ten of an item is not ten times the interest.
 */
export function eventWeight(event: PortraitEvent): number {
  const base: number = EVENT_WEIGHTS[event.type] ?? 0;
  switch (event.type) {
    case 'view':
      return base * (1 + 3 * dwellFactor(event.dwellMs));
    case 'dwell':
      return base * (1 + dwellFactor(event.dwellMs));
    case 'review': {
      const r = event.rating;
      if (r === undefined || !Number.isFinite(r)) return 0;
      const centred = (Math.min(5, Math.max(1, r)) - 3) / 2; // -1 .. 1
      return centred >= 0 ? base * centred : 0.5 * centred;
    }
    default:
      return Number.isFinite(base) ? base : 0;
  }
}
