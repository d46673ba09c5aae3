/** One inference call: sentence vectors for a batch, and the session to release. */
export interface BatchEmbedder {
  embed(batch: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<unknown>;
}
