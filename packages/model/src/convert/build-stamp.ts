import { createHash } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** sha256 over the given files' names and bytes, in sorted order. */
export async function hashInputs(files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(file);
    hash.update(await readFile(file));
  }
  return hash.digest('hex');
}

export async function listFiles(dir: string, suffix: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => n.endsWith(suffix)).map((n) => join(dir, n));
}

export async function readStamp(path: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as { inputs?: string }).inputs;
  } catch {
    return undefined;
  }
}

export async function writeStamp(path: string, inputs: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ inputs }, null, 2)}\n`);
  await rename(temp, path);
}
