import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DataError } from './data-error.ts';
import { type Parsed, parseEventLine, parseItemLine } from './parse-lines.ts';
import { readLines } from './read-lines.ts';
import type { DataEvent, Dataset, Item } from './types.ts';

/** How to treat malformed lines: throw a DataError (default) or skip and count them. */
export interface LoadOptions {
  skipBad?: boolean;
}

// `name.jsonl`, else `name.jsonl.gz`.
function findFile(dir: string, name: string): string {
  for (const f of [`${name}.jsonl`, `${name}.jsonl.gz`]) if (existsSync(join(dir, f))) return join(dir, f);
  throw new DataError(join(dir, `${name}.jsonl`), 0, 'file not found (nor .gz)');
}

async function readAll<T>(
  file: string,
  parse: (line: string, lineNo: number) => Parsed<T>,
  skipBad: boolean,
): Promise<{ values: T[]; skipped: number }> {
  const values: T[] = [];
  let skipped = 0;
  for await (const { line, lineNo } of readLines(file)) {
    if (line.trim() === '') continue;
    const r = parse(line, lineNo);
    if (r.ok) values.push(r.value);
    else if (skipBad) skipped++;
    else throw new DataError(file, lineNo, r.reason);
  }
  return { values, skipped };
}

/** Reads `items.jsonl` and `events.jsonl` (plain or .gz) from a folder in the evaluation format. */
export async function loadDataset(dir: string, options: LoadOptions = {}): Promise<Dataset> {
  const skipBad = options.skipBad ?? false;
  const itemsFile = findFile(dir, 'items');
  const eventsFile = findFile(dir, 'events');
  const seen = new Set<string>();
  const items = await readAll<Item>(
    itemsFile,
    (line) => {
      const r = parseItemLine(line);
      if (r.ok && seen.has(r.value.id)) return { ok: false, reason: `duplicate item id ${JSON.stringify(r.value.id)}` };
      if (r.ok) seen.add(r.value.id);
      return r;
    },
    skipBad,
  );
  const itemIndex = new Map(items.values.map((it, i) => [it.id, i]));
  const events = await readAll<DataEvent>(eventsFile, (line, n) => parseEventLine(line, itemIndex, n), skipBad);
  // Files are meant to be in time order; sorting makes a shuffled file give the same result.
  events.values.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return {
    name: basename(resolve(dir)),
    items: items.values,
    events: events.values,
    skipped: { items: items.skipped, events: events.skipped },
  };
}
