import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MANIFEST_FILE, type ManifestFile, type ModelManifest } from '../manifest.ts';

/** Everything one model folder holds, before it is written. */
export interface ModelFolder {
  readonly modelId: string;
  readonly dim: number;
  readonly config: object;
  readonly tokenizer: object;
  readonly tokenizerConfig: object;
  readonly fp32: Uint8Array;
  readonly int8: Uint8Array;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const json = (value: object): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/**
 * Test workers may build concurrently; the output is deterministic, so each
 * file is replaced atomically and a reader only ever sees a whole file.
 */
async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, target);
}

/** Writes the transformers.js layout plus a manifest of sizes and hashes; returns the manifest. */
export async function writeModelFolder(root: string, m: ModelFolder): Promise<ModelManifest> {
  const files: [string, Uint8Array][] = [
    ['config.json', json(m.config)],
    ['tokenizer.json', json(m.tokenizer)],
    ['tokenizer_config.json', json(m.tokenizerConfig)],
    ['onnx/model.onnx', m.fp32],
    ['onnx/model_quantized.onnx', m.int8],
  ];
  const entries: ManifestFile[] = [];
  for (const [path, bytes] of files) {
    const target = join(root, m.modelId, path);
    await mkdir(dirname(target), { recursive: true });
    await writeAtomically(target, bytes);
    entries.push({ path, bytes: bytes.byteLength, sha256: sha256(bytes) });
  }
  const manifest: ModelManifest = { modelId: m.modelId, dim: m.dim, files: entries };
  await writeAtomically(join(root, m.modelId, MANIFEST_FILE), json(manifest));
  return manifest;
}
