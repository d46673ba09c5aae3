/** Anything that turns texts into vectors of one fixed length: the real encoder or a test stand-in. */
export interface TextEmbedder {
  /** Model id plus anything that changes its vectors (dtype, a fingerprint of them); keys the on-disk cache. */
  readonly id: string;
  readonly dim: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
