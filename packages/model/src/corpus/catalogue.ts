import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared retail dataset, read in place from the workspace's sibling `shared/` folder. */
export const ITEMS_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'datasets',
  'online-retail-dev',
  'items.jsonl',
);

/** Item titles of the retail catalogue, in file order; empty when the dataset is absent. */
export function catalogueTitles(): string[] {
  if (!existsSync(ITEMS_PATH)) return [];
  return readFileSync(ITEMS_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => (JSON.parse(line) as { title: string }).title);
}
