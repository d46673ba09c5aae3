import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataError } from './data-error.ts';
import { loadDataset } from './load-dataset.ts';

function folder(items: string, events: string, gz = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'portrait-eval-'));
  const put = (name: string, text: string) =>
    gz ? writeFileSync(join(dir, `${name}.jsonl.gz`), gzipSync(text)) : writeFileSync(join(dir, `${name}.jsonl`), text);
  put('items', items);
  put('events', events);
  return dir;
}

const ITEMS = '{"id": "a", "title": "RED MUG", "price": 2.5}\n{"id": 7, "title": "Blue cup", "category": "Kitchen"}\n';

describe('loadDataset', () => {
  it('reads plain and gzip files, ISO and epoch timestamps, and sorts events by time', async () => {
    const events = [
      '{"user": "u1", "item": "7", "ts": 1700000000000, "type": "view", "dwellMs": 5000}',
      '{"user": 9, "item": "a", "ts": "2023-01-01T00:00:00Z", "type": "purchase", "quantity": 2}',
    ].join('\n');
    for (const gz of [false, true]) {
      const ds = await loadDataset(folder(ITEMS, events, gz));
      expect(ds.items.map((i) => i.id)).toEqual(['a', '7']);
      expect(ds.events.map((e) => [e.user, e.item, e.type])).toEqual([
        ['9', 0, 'purchase'],
        ['u1', 1, 'view'],
      ]);
      expect(ds.events[0]?.ts).toBe(Date.parse('2023-01-01T00:00:00Z'));
      expect(ds.events[1]?.dwellMs).toBe(5000);
    }
  });

  it('names the file, line and reason of a malformed line', async () => {
    const events = [
      '{"user": "u1", "item": "a", "ts": 1700000000000, "type": "view"}',
      '{"user": "u1", "item": "a", "ts": "yesterday", "type": "view"}',
    ].join('\n');
    const dir = folder(ITEMS, events);
    const err = await loadDataset(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).file).toBe(join(dir, 'events.jsonl'));
    expect((err as DataError).line).toBe(2);
    expect((err as DataError).reason).toMatch(/ts/);
  });

  it.each([
    ['not json', /invalid JSON/],
    ['{"user": "u", "item": "zz", "ts": 1, "type": "view"}', /not in items/],
    ['{"user": "u", "item": "a", "ts": 1, "type": "teleport"}', /unknown "type"/],
    ['{"item": "a", "ts": 1, "type": "view"}', /missing "user"/],
  ])('rejects %s', async (line, reason) => {
    await expect(loadDataset(folder(ITEMS, `${line}\n`))).rejects.toThrow(reason);
  });

  it('skips and counts bad lines when asked', async () => {
    const items = `${ITEMS}{"id": "b"}\n{"id": "a", "title": "dup"}\n`;
    const events = '{"user": "u", "item": "a", "ts": 5, "type": "view"}\n[1,2]\n\n{"user": "u", "ts": 5}\n';
    const ds = await loadDataset(folder(items, events), { skipBad: true });
    expect(ds.items).toHaveLength(2);
    expect(ds.events).toHaveLength(1);
    expect(ds.skipped).toEqual({ items: 2, events: 2 });
  });
});
