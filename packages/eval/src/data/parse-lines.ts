import { EVENT_TYPES, type EventType } from '@portrait/core';
import type { DataEvent, Item } from './types.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function json(line: string): Parsed<Record<string, unknown>> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { ok: false, reason: `invalid JSON (${(e as Error).message})` };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not a JSON object' };
  return { ok: true, value: v as Record<string, unknown> };
}

/** One `items.jsonl` line: `id` and `title` required; optional fields of the wrong type are errors, not silently dropped. */
export function parseItemLine(line: string): Parsed<Item> {
  const j = json(line);
  if (!j.ok) return j;
  const r = j.value;
  const id = isNum(r.id) ? String(r.id) : r.id;
  if (!isText(id)) return { ok: false, reason: 'missing "id"' };
  if (!isText(r.title)) return { ok: false, reason: 'missing "title"' };
  const item: Item = { id, title: r.title };
  for (const key of ['category', 'brand', 'description'] as const) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') return { ok: false, reason: `"${key}" is not a string` };
    if (v.trim() !== '') item[key] = v;
  }
  if (r.price !== undefined && r.price !== null) {
    if (!isNum(r.price) || r.price < 0) return { ok: false, reason: '"price" is not a non-negative number' };
    item.price = r.price;
  }
  return { ok: true, value: item };
}

// ISO-8601 strings or epoch ms; anything else (or a date before 1970) is an error.
function timestamp(v: unknown): number | undefined {
  const ms = isNum(v) ? v : typeof v === 'string' && /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** One `events.jsonl` line, its item looked up in the catalogue index. */
export function parseEventLine(line: string, itemIndex: ReadonlyMap<string, number>, seq: number): Parsed<DataEvent> {
  const j = json(line);
  if (!j.ok) return j;
  const r = j.value;
  const user = isNum(r.user) ? String(r.user) : r.user;
  if (!isText(user)) return { ok: false, reason: 'missing "user"' };
  const itemId = isNum(r.item) ? String(r.item) : r.item;
  if (!isText(itemId)) return { ok: false, reason: 'missing "item"' };
  const item = itemIndex.get(itemId);
  if (item === undefined) return { ok: false, reason: `item ${JSON.stringify(itemId)} is not in items.jsonl` };
  const ts = timestamp(r.ts);
  if (ts === undefined) return { ok: false, reason: '"ts" is neither ISO-8601 nor epoch ms' };
  if (!(EVENT_TYPES as readonly unknown[]).includes(r.type)) {
    return { ok: false, reason: `unknown "type" ${JSON.stringify(r.type)}` };
  }
  const event: DataEvent = { user, item, ts, type: r.type as EventType, seq };
  if (r.quantity !== undefined) {
    if (!isNum(r.quantity)) return { ok: false, reason: '"quantity" is not a number' };
    event.quantity = r.quantity;
  }
  if (r.dwellMs !== undefined) {
    if (!isNum(r.dwellMs) || r.dwellMs < 0) return { ok: false, reason: '"dwellMs" is not a non-negative number' };
    event.dwellMs = r.dwellMs;
  }
  return { ok: true, value: event };
}
