import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelSource } from './model-source.ts';

/** Node-only: reads model files from a local models root directory. */
export function fileSource(root: string): ModelSource {
  return async (path) => {
    try {
      return new Uint8Array(await readFile(join(root, path)));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw e;
    }
  };
}
