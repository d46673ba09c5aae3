import { EncoderError } from './encoder-error.ts';
import { MANIFEST_FILE, type ModelManifest } from './manifest.ts';
import type { ModelSource } from './model-source.ts';

/** The .onnx a load reads for each dtype. */
export const ONNX_FILE = { q8: 'onnx/model_quantized.onnx', fp32: 'onnx/model.onnx' } as const;

/** The files of a model folder a load reads (verifyModel's list), in the order it reads them. */
export function folderFiles(dtype: 'q8' | 'fp32'): readonly string[] {
  return ['config.json', MANIFEST_FILE, 'tokenizer.json', 'tokenizer_config.json', ONNX_FILE[dtype]];
}

/**
 * Which onnxruntime-web build runs a folder: the WASM-only one (`onnxruntime-web/wasm`) when a
 * folder with its own tokenizer runs on WASM, the asyncify one transformers.js requires otherwise
 * (WebGPU, BERT folders); onnxruntime-node (`node`) on `cpu`.
 */
export type RuntimeBuild = 'wasm-only' | 'asyncify' | 'node';

/** The one decision loadEncoder and download plans share, so a plan counts the build that loads. */
export function runtimeBuild(device: 'wasm' | 'webgpu' | 'cpu', ownTokenizer: boolean): RuntimeBuild {
  if (device === 'cpu') return 'node';
  return device === 'wasm' && ownTokenizer ? 'wasm-only' : 'asyncify';
}

/** Whether a folder's config.json asks for our tokenizer (`portrait.tokenizer`, see folderTokenizer). */
export function asksOwnTokenizer(config: unknown): boolean {
  const portrait =
    typeof config === 'object' && config !== null ? (config as { portrait?: unknown }).portrait : undefined;
  return (
    typeof portrait === 'object' && portrait !== null && (portrait as { tokenizer?: unknown }).tokenizer !== undefined
  );
}

/** What one load of a folder will read, known before its large files are requested. */
export interface DownloadPlan {
  /**
   * Every file the load reads (paths as the source is asked, `<modelId>/…`) with its size from
   * manifest.json (manifest.json's own: the bytes read). Undefined for a folder without a
   * manifest, whose sizes nobody knows before reading.
   */
  readonly files: readonly { readonly path: string; readonly bytes: number }[] | undefined;
  readonly runtime: RuntimeBuild;
}

function json(bytes: Uint8Array | undefined, file: string): unknown {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new EncoderError('model/bad-config', file, 'not valid JSON');
  }
}

/**
 * Reads a folder's two small files (config.json, manifest.json) and says what the load will read
 * and which runtime it will run on. A missing config.json is left for verifyModel to report.
 */
export async function planDownload(
  source: ModelSource,
  o: { readonly modelId: string; readonly dtype?: 'q8' | 'fp32'; readonly device?: 'wasm' | 'webgpu' | 'cpu' },
): Promise<DownloadPlan> {
  const at = (path: string) => `${o.modelId}/${path}`;
  const config = json(await source(at('config.json')), at('config.json'));
  const manifestBytes = await source(at(MANIFEST_FILE));
  const manifest = json(manifestBytes, at(MANIFEST_FILE)) as ModelManifest | undefined;
  const runtime = runtimeBuild(o.device ?? 'wasm', asksOwnTokenizer(config));
  if (!manifestBytes || !Array.isArray(manifest?.files)) return { files: undefined, runtime };
  const sizes = new Map(manifest.files.map((f) => [f.path, f.bytes]));
  const files: { path: string; bytes: number }[] = [];
  for (const path of folderFiles(o.dtype ?? 'q8')) {
    const bytes = path === MANIFEST_FILE ? manifestBytes.byteLength : sizes.get(path);
    // A file the manifest does not list fails verification before anything large is read.
    if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return { files: undefined, runtime };
    files.push({ path: at(path), bytes });
  }
  return { files, runtime };
}
