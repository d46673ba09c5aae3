// Every key the engine keeps in the store's `meta` table, in one place. The strings are what
// devices already have on disk: renaming one orphans its value on every device (meta-keys.test.ts
// pins them).

/** Fixed keys, one value per device. */
export const META = {
  /** The random pseudonymous id the collector knows this device by. */
  pseudoId: 'pseudoId',
  /** The collector's ownership token for `pseudoId` ('' once the id rotated). */
  syncToken: 'syncToken',
  /** The model whose profile is current; a different one at start means a rebuild. */
  activeModel: 'activeModel',
  /** '1' when a forget happened without a model: the profile is rebuilt once one loads. */
  needsRebuild: 'needsRebuild',
  /** How many events the sensitive-topic guard kept out of the profile. */
  sensitiveSkipped: 'sensitiveSkipped',
  /** The collector's Retry-After, epoch ms: no sync goes before it. */
  syncRetryAt: 'syncRetryAt',
  /** When this device last posted a sync (epoch ms): the minimum interval holds across pages. */
  syncLastPostAt: 'syncLastPostAt',
  /** JSON `{ at, reason }` of the last WebGPU failure on this device. */
  webgpuFailed: 'webgpuFailed',
  /** JSON list of erasures the collector has not confirmed yet (id, token, backoff); kept through a wipe. */
  pendingErasures: 'pendingErasures',
  /** JSON `{ epoch, releases, lastAt }`: the epoch the current id belongs to, and the DP releases spent in it. */
  syncEpoch: 'syncEpoch',
} as const;

/** Keys with one value per model (vector spaces are never mixed). */
export const META_PER_MODEL = {
  /** The collector's published PCA basis file, base64. */
  basis: (modelId: string) => `basis:${modelId}` as const,
  /** The session-risk history (JSON) the risk byte is calibrated on. */
  risk: (modelId: string) => `risk:${modelId}` as const,
} as const;

export type MetaKey =
  | (typeof META)[keyof typeof META]
  | ReturnType<(typeof META_PER_MODEL)[keyof typeof META_PER_MODEL]>;
