import { type PortraitEvent, parseEvent } from '@portrait/core';

const MAX_EVENTS_PER_CALL = 500;
// A real event is well under 2 KB; anything far larger is a bug or an attack, not a longer title.
const MAX_EVENT_BYTES = 16_384;

function tooLarge(raw: unknown): string | undefined {
  try {
    const size = JSON.stringify(raw)?.length ?? 0;
    return size > MAX_EVENT_BYTES ? `event is ${size} bytes, over ${MAX_EVENT_BYTES}` : undefined;
  } catch {
    return 'event is not plain data';
  }
}

/** What the page sent, split into valid events and typed reasons for the rest (never a throw). */
export function validateBatch(raw: unknown): { valid: PortraitEvent[]; rejected: { reason: string }[] } {
  const rejected: { reason: string }[] = [];
  if (!Array.isArray(raw)) return { valid: [], rejected: [{ reason: 'ingest expects an array of events' }] };
  if (raw.length > MAX_EVENTS_PER_CALL) rejected.push({ reason: `only ${MAX_EVENTS_PER_CALL} events per call` });
  const valid: PortraitEvent[] = [];
  for (const r of raw.slice(0, MAX_EVENTS_PER_CALL)) {
    const big = tooLarge(r);
    if (big) {
      rejected.push({ reason: big });
      continue;
    }
    const parsed = parseEvent(r);
    if (parsed.ok) valid.push(parsed.event);
    else rejected.push({ reason: parsed.reason });
  }
  return { valid, rejected };
}
