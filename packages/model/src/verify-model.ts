import { EncoderError } from './encoder-error.ts';
import { MANIFEST_FILE, type ModelManifest } from './manifest.ts';
import type { ModelSource } from './model-source.ts';
import { sha256Hex } from './sha256.ts';

/** A model folder's files, read once and checked; `verified` says a manifest vouched for them. */
export interface VerifiedModel {
  readonly modelId: string;
  readonly dim: number;
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly verified: boolean;
}

function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new EncoderError('model/bad-config', file, 'not valid JSON');
  }
}

async function readRequired(source: ModelSource, file: string, what: string): Promise<Uint8Array> {
  const bytes = await source(file);
  if (!bytes) throw new EncoderError('model/not-found', file, what);
  return bytes;
}

/**
 * Reads config, tokenizer and the chosen .onnx of one model folder and checks,
 * in this order: the folder exists, config.json's hidden_size agrees with the
 * manifest's dim, each file is as long as the manifest says (else truncated),
 * each file's sha256 matches. A folder without manifest.json loads unverified.
 */
export async function verifyModel(source: ModelSource, modelId: string, onnxFile: string): Promise<VerifiedModel> {
  const at = (path: string) => `${modelId}/${path}`;
  const configBytes = await readRequired(source, at('config.json'), 'no such model folder (config.json missing)');
  const manifestBytes = await source(at(MANIFEST_FILE));
  const manifest = manifestBytes ? (parseJson(manifestBytes, at(MANIFEST_FILE)) as ModelManifest) : undefined;
  const config = parseJson(configBytes, at('config.json')) as { hidden_size?: unknown };
  const dim = config.hidden_size;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim <= 0) {
    throw new EncoderError('model/bad-config', at('config.json'), 'hidden_size is not a positive integer');
  }
  if (manifest && manifest.dim !== dim) {
    throw new EncoderError(
      'model/bad-config',
      at('config.json'),
      `hidden_size ${dim} but the model produces ${manifest.dim}`,
    );
  }
  const files = new Map<string, Uint8Array>([['config.json', configBytes]]);
  for (const path of ['tokenizer.json', 'tokenizer_config.json', onnxFile]) {
    files.set(path, await readRequired(source, at(path), 'file missing from the model folder'));
  }
  if (manifest) {
    for (const [path, bytes] of files) {
      const entry = manifest.files.find((f) => f.path === path);
      if (!entry) throw new EncoderError('model/sha-mismatch', at(path), 'file not listed in manifest.json');
      if (bytes.byteLength < entry.bytes) {
        throw new EncoderError('model/truncated', at(path), `${bytes.byteLength} of ${entry.bytes} bytes`);
      }
      const actual = await sha256Hex(bytes);
      if (bytes.byteLength !== entry.bytes || actual !== entry.sha256) {
        throw new EncoderError('model/sha-mismatch', at(path), `sha256 ${actual}, manifest says ${entry.sha256}`);
      }
    }
  }
  return { modelId, dim, files, verified: manifest !== undefined };
}
