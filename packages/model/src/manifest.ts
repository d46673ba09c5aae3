/** One file of a model folder, as the build wrote it. */
export interface ManifestFile {
  /** Path relative to the model folder, e.g. `onnx/model_quantized.onnx`. */
  readonly path: string;
  readonly bytes: number;
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
}

/** `manifest.json` at the root of a model folder: what a download must match. */
export interface ModelManifest {
  readonly modelId: string;
  /** Length of the sentence vectors the model produces. */
  readonly dim: number;
  readonly files: readonly ManifestFile[];
}

export const MANIFEST_FILE = 'manifest.json';
