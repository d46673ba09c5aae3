/** Turns texts into unit vectors of one model's space. */
export interface Embedder {
  readonly modelId: string;
  readonly dim: number;
  /** Which runtime runs it ('webgpu', 'wasm'). */
  readonly backend: string;
  embed(texts: string[]): Promise<Float32Array[]>;
  dispose?(): Promise<void>;
}
