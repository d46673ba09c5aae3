import { DEFAULT_PROFILE_PARAMS, type ProfileParams } from '@portrait/core';

/** Which row group a configuration belongs to in the report (the JSON contract's `kind`). */
export type Kind = 'baseline-no-text' | 'baseline-text' | 'portrait';

/** A scorer: a weighted sum of per-item features. `family` groups the members of one grid search. */
export interface ScorerConfig {
  name: string;
  family: string;
  kind: Kind;
  terms: [feature: string, weight: number][];
  /** Human-readable grid point, e.g. "eta=0.05". */
  label: string;
  /** Also reported on its own row under this name (outside its family's grid search). */
  standalone?: string;
  /** A second grid this scorer is a member of, chosen by its own criterion (see `FAMILY_CRITERION`). */
  alsoIn?: string;
}

/** A Portrait parameter set of the grid and the key its features are computed under. */
export interface ParamPoint {
  key: string;
  label: string;
  params: ProfileParams;
  /** The engine's shipped parameters. */
  isDefault?: boolean;
}

const DAY = 86_400_000;

/** Everything the evaluation runs: the engine parameter grid and the scorers over it. */
export interface ConfigSet {
  etas: number[];
  params: ParamPoint[];
  scorers: ScorerConfig[];
}

/** The grid of the seed's fixed eta. Purchases weigh 5, so eta * 5 must stay <= 1. */
export const ETA_GRID = [0.01, 0.03, 0.1, 0.2];

/**
 * The engine grid: the long-term step floor (eta once warm) and the half-life of its accumulated
 * weight (the decay), with every other parameter at the engine's defaults.
 */
export function paramGrid(): ParamPoint[] {
  const out: ParamPoint[] = [];
  for (const longFloor of [0.005, 0.02, 0.08]) {
    for (const days of [7, 90]) {
      out.push({
        key: `p${out.length}`,
        label: `longFloor=${longFloor} longHalfLife=${days}d`,
        params: { ...DEFAULT_PROFILE_PARAMS, longFloor, longHalfLifeMs: days * DAY },
        isDefault:
          longFloor === DEFAULT_PROFILE_PARAMS.longFloor && days * DAY === DEFAULT_PROFILE_PARAMS.longHalfLifeMs,
      });
    }
  }
  return out;
}

// Profile mixtures of the blend (long, short, multi-interest) and the weights of the user's own
// purchase counts and of popularity beside them. Features are cosines in [-1, 1], log1p counts,
// and popularity scaled to [0, 1].
const MIXES: [string, number, number, number][] = [
  ['long', 1, 0, 0],
  ['multi', 0, 0, 1],
  ['long+multi', 1, 0, 1],
  ['long+short+multi', 1, 0.5, 1],
  // Heavier profile terms, so the profile can reorder the user's repeat items, not only break ties.
  ['3multi', 0, 0, 3],
  ['3(long+multi)', 3, 0, 3],
];
const REPEAT_WEIGHTS = [0, 0.3, 1, 3];
const POP_WEIGHTS = [0, 0.3, 1, 3];

/** The blend family chosen on novel targets: profile and popularity, no repeat counts. */
export const DISCOVERY = 'portrait discovery blend';

/** Which target segment a grid is chosen on (HR@20); default overall. */
export const FAMILY_CRITERION: Record<string, 'overall' | 'novel'> = { [DISCOVERY]: 'novel' };

/** The full configuration set of one evaluation run. */
export function configSet(params: ParamPoint[] = paramGrid(), etas: number[] = ETA_GRID): ConfigSet {
  const s: ScorerConfig[] = [
    { name: 'popularity', family: 'popularity', kind: 'baseline-no-text', terms: [['pop', 1]], label: '' },
    { name: 'repeat', family: 'repeat', kind: 'baseline-no-text', terms: [['rep', 1]], label: '' },
    // Repeat counts are integers in log1p and popularity <= 1: a weight of 0.01 only breaks ties.
    {
      name: 'repeat then popularity',
      family: 'repeat then popularity',
      kind: 'baseline-no-text',
      terms: [
        ['rep', 1],
        ['pop', 0.01],
      ],
      label: '',
    },
    {
      name: 'last-step similarity',
      family: 'last-step similarity',
      kind: 'baseline-text',
      terms: [['last', 1]],
      label: '',
    },
    { name: 'history mean (eta=1/n)', family: 'history mean', kind: 'baseline-text', terms: [['mean', 1]], label: '' },
  ];
  for (const eta of etas) {
    s.push({
      name: `fixed eta ${eta}`,
      family: 'fixed eta (seed)',
      kind: 'baseline-text',
      terms: [[`eta${eta}`, 1]],
      label: `eta=${eta}`,
    });
  }
  for (const p of params) {
    for (const part of ['long', 'short', 'multi'] as const) {
      const scorer: ScorerConfig = {
        name: `portrait ${part} [${p.label}]`,
        family: `portrait ${part}`,
        kind: 'portrait',
        terms: [[`${p.key}:${part}`, 1]],
        label: p.label,
      };
      if (p.isDefault) scorer.standalone = `portrait ${part} (engine defaults)`;
      s.push(scorer);
    }
    for (const [mix, wl, ws, wi] of MIXES) {
      for (const wr of REPEAT_WEIGHTS) {
        for (const wp of POP_WEIGHTS) {
          const terms: [string, number][] = [];
          if (wl) terms.push([`${p.key}:long`, wl]);
          if (ws) terms.push([`${p.key}:short`, ws]);
          if (wi) terms.push([`${p.key}:multi`, wi]);
          if (wr) terms.push(['rep', wr]);
          if (wp) terms.push(['pop', wp]);
          const label = `${p.label} ${mix} repeat=${wr} pop=${wp}`;
          const scorer: ScorerConfig = {
            name: `portrait blend [${label}]`,
            family: 'portrait blend',
            kind: 'portrait',
            terms,
            label,
          };
          // Without the user's own counts a blend recommends what they have not bought yet: the discovery use.
          if (wr === 0) scorer.alsoIn = DISCOVERY;
          s.push(scorer);
        }
      }
    }
  }
  return { etas, params, scorers: s };
}
