/** Why a model could not be loaded or run. */
export type EncoderErrorCode =
  | 'model/not-found'
  | 'model/truncated'
  | 'model/bad-config'
  | 'model/sha-mismatch'
  | 'model/load-failed'
  | 'input/empty';

/** The structured-clone-safe form of an EncoderError, for crossing a worker boundary. */
export interface EncoderErrorData {
  readonly name: 'EncoderError';
  readonly code: EncoderErrorCode;
  /** The file at fault, relative to the models root (e.g. `use-lite/onnx/model_quantized.onnx`). */
  readonly file: string;
  readonly message: string;
}

/** One clear, typed failure naming the file at fault. */
export class EncoderError extends Error {
  override readonly name = 'EncoderError';

  constructor(
    readonly code: EncoderErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(`${code}: ${file}: ${message}`);
  }

  toData(): EncoderErrorData {
    return { name: this.name, code: this.code, file: this.file, message: this.message };
  }

  static fromData(data: EncoderErrorData): EncoderError {
    const e = new EncoderError(data.code, data.file, '');
    e.message = data.message;
    return e;
  }
}

export function isEncoderErrorData(value: unknown): value is EncoderErrorData {
  return typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'EncoderError';
}
