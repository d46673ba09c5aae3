import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../data/types.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
/** `portrait-collector` (the server package's bin), run from source as its own scripts run it. */
const COLLECTOR_MAIN = join(repo, 'packages', 'server', 'src', 'main.ts');
const TSX = join(repo, 'node_modules', '.bin', 'tsx');

/**
 * The data set's items as the JSON lines `portrait-collector import --items` reads: the fields
 * the engine's item text is made of (title, category, brand, the first `DESCRIPTION_CHARS` of the
 * description) and the price.
 */
export function importItemsJsonl(ds: Dataset): string {
  return ds.items
    .map(({ id, title, category, brand, price, description }) =>
      JSON.stringify({ id, title, category, brand, price, description }),
    )
    .join('\n');
}

/**
 * Runs the merchant's import (`portrait-collector import --items … --out outDir`) on the data set's
 * items, in a child process exactly as a merchant would, so `pnpm eval --item-vectors outDir` reads
 * what a collector would serve. Rejects with the import's exit code when it fails.
 */
export async function collectorImport(ds: Dataset, outDir: string, log: (line: string) => void): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'portrait-eval-import-'));
  try {
    const items = join(tmp, 'items.jsonl');
    await writeFile(items, `${importItemsJsonl(ds)}\n`);
    await new Promise<void>((done, fail) => {
      const child = spawn(TSX, [COLLECTOR_MAIN, 'import', '--items', items, '--out', outDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) log(line);
      });
      child.on('error', fail);
      child.on('exit', (code) =>
        code === 0 ? done() : fail(new Error(`portrait-collector import exited with ${code}`)),
      );
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
