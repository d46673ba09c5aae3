import { type EmbeddedEvent, eventWeight, MAX_FIELD_CHARS, type PortraitEvent } from '@portrait/core';
import type { DataEvent, Dataset } from '../data/types.ts';

/** Events of one user with the same timestamp (a basket): the state before it predicts all of its items. */
export interface Step {
  /** Timestamp the profile sees. */
  ts: number;
  /** Timestamp popularity is counted before; differs from `ts` only in spliced histories. */
  popTs: number;
  events: EmbeddedEvent[];
  /** Catalogue index of each of `events`. */
  eventItems: number[];
  /** Distinct catalogue indices of the step's chosen items (positive events), in first-seen order: the targets. */
  items: number[];
}

/** The SDK's event for a data-set event: what the capture tag would have handed the worker. */
export function toPortraitEvent(e: DataEvent, ds: Dataset): PortraitEvent {
  const it = ds.items[e.item];
  if (!it) throw new Error(`event item ${e.item} out of range`);
  const event: PortraitEvent = { id: `${e.user}:${e.seq}`, type: e.type, ts: e.ts };
  event.product = { id: it.id, title: it.title };
  if (it.category) event.product.category = it.category;
  if (it.brand) event.product.brand = it.brand;
  // As the worker keeps it (parseEvent's field cap); the text uses only DESCRIPTION_CHARS of it.
  if (it.description) event.product.description = it.description.slice(0, MAX_FIELD_CHARS);
  if (it.price !== undefined) event.product.price = it.price;
  if (e.quantity !== undefined) event.quantity = e.quantity;
  if (e.dwellMs !== undefined) event.dwellMs = e.dwellMs;
  return event;
}

/** Each user's steps in time order; `vectorOf` gives the embedding of a data-set event's text. */
export function userSteps(
  ds: Dataset,
  vectorOf: (e: DataEvent, event: PortraitEvent) => Float32Array | undefined,
): Map<string, Step[]> {
  const byUser = new Map<string, Step[]>();
  for (const e of ds.events) {
    let steps = byUser.get(e.user);
    if (!steps) {
      steps = [];
      byUser.set(e.user, steps);
    }
    let last = steps[steps.length - 1];
    if (!last || last.ts !== e.ts) {
      last = { ts: e.ts, popTs: e.ts, events: [], eventItems: [], items: [] };
      steps.push(last);
    }
    const event = toPortraitEvent(e, ds);
    const vector = vectorOf(e, event);
    // An event without text (none here: every data-set event names an item) cannot be folded.
    if (vector) {
      last.events.push({ event, vector });
      last.eventItems.push(e.item);
    }
    // Targets are what the user chose; a removal from the cart or a 1-star review is not one.
    if (eventWeight(event) > 0 && !last.items.includes(e.item)) last.items.push(e.item);
  }
  return byUser;
}
