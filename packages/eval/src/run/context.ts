import type { Basis, OrderLine } from '@portrait/core';
import type { ConfigSet } from '../recommenders/configs.ts';
import type { Catalogue } from './catalogue.ts';
import type { Popularity } from './popularity.ts';

/** What every scoring pass needs, fixed for the whole run. */
export interface EvalContext {
  modelId: string;
  catalogue: Catalogue;
  popularity: Popularity;
  /** A seeded random order of the items, breaking score ties (see `rankOf`). */
  tiebreak: Float64Array;
  configs: ConfigSet;
  /** Every user's chosen items as the merchant's order log (the catalogue signals' source). */
  orders?: OrderLine[];
  /**
   * The collector's side: the PCA basis its import fits on the catalogue and every item's compact
   * vector, which `/v1/recommendations` ranks a synced payload against.
   */
  compact?: { basis: Basis; items: Float32Array[] };
}

/** One user's history, as steps. */
export interface UserHistory {
  user: string;
  steps: import('./user-steps.ts').Step[];
}
