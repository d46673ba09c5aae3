import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

/** Lines of a text file, plain or gzip (by the `.gz` suffix), with 1-based line numbers. */
export async function* readLines(file: string): AsyncGenerator<{ line: string; lineNo: number }> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    yield { line, lineNo };
  }
}
