import { DEFAULT_PROFILE_PARAMS, DEFAULT_RECOMMENDER, type ProfileParams } from '@portrait/core';

/**
 * Which row group a configuration belongs to in the report (the JSON contract's `kind`).
 * `reference` rows show what the data allows with information no device has (every customer's
 * history): they are never a baseline a goal compares with, nor a Portrait row.
 */
export type Kind = 'baseline-no-text' | 'baseline-text' | 'portrait' | 'reference';

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

/** Hard filter weight: minus this times `own` sinks every item the user already chose below all others. */
export const NOT_BOUGHT = -10;

// The blend on purchases: the user's own counts (weight 1) plus recent and all-time popularity, a
// small bonus for any owned item, and the engine's long-term and multi-interest cosines (at least
// one of them, so the row is a profile, not a no-text blend under another name).
const BLEND_RECENT = [0.3, 1, 3];
const BLEND_OWN = [0, 0.3];
const BLEND_POP = [0, 0.1];
const BLEND_LONG = [0, 0.3, 1];
const BLEND_MULTI = [0, 0.3, 1];
// Discovery ("new for you"): owned items filtered out, recent popularity plus the profile: the
// best cosine to the user's own items (item-to-item), multi-interest and long-term cosines.
const DISC_MAXSIM = [0, 0.3, 1, 3];
const DISC_MULTI = [0, 0.3, 1];
const DISC_LONG = [0, 0.3];
const DISC_POP = [0, 0.3];

/** The no-text blend's terms: own counts, recent popularity, optionally an owned bonus and all-time popularity. */
function noTextTerms(recent: number, own: number, pop: number): [string, number][] {
  const terms: [string, number][] = [
    ['rep', 1],
    ['pop30', recent],
  ];
  if (own) terms.push(['own', own]);
  if (pop) terms.push(['pop', pop]);
  return terms;
}

/** The blend family chosen on novel targets: owned items filtered out, profile plus recent popularity. */
export const DISCOVERY = 'portrait discovery blend';
/** The no-text blend the Portrait blend must beat: own counts, recent and all-time popularity. */
export const NO_TEXT_BLEND = 'repeat + recent popularity';

/** The server-side collaborative-filtering reference on new items (see `CustomerIndex`). */
export const CUSTOMERS_NOVEL = 'customers like you + recent popularity, not yet bought';

/** Which target segment a grid is chosen on (HR@20); default overall. */
export const FAMILY_CRITERION: Record<string, 'overall' | 'novel'> = {
  [DISCOVERY]: 'novel',
  [CUSTOMERS_NOVEL]: 'novel',
};

/**
 * The engine point the blends use: the engine's defaults (what the worker ships), so the blend
 * grid is about the weights. With longFloor 0.08 / 90 d added, 5 of 5 folds still chose the
 * defaults for the blend and 1 of 5 chose the other for discovery (150 users), at twice the cost.
 */
export function blendParams(params: ParamPoint[]): ParamPoint[] {
  const picked = params.filter((p) => p.isDefault);
  return picked.length > 0 ? picked : params.slice(0, 1);
}

/** The on-device recommenders' rows (recommend/ in the worker), each at its shipped defaults. */
export const FOR_YOU = 'for you';
export const RELATED = 'related';
export const TOGETHER = 'often bought together';

/**
 * The "for you" blend's terms for these weights, over the profile of parameter point `key`. With
 * `shopOrders` the page passes the shop's order record, which on the eval's data holds every item
 * the user chose: those items stay candidates (neighbours of one another too) with the repeat
 * term; without it the device hides what it saw (`excludeSeen`) and has no repeat term.
 */
export function forYouTerms(
  key: string,
  w: {
    neighbours: number;
    profileMulti: number;
    profileLong: number;
    recentPopularity: number;
    popularity: number;
    repeat: number;
    excludeSeen: boolean;
  },
  shopOrders: boolean,
): [string, number][] {
  const hideSeen = w.excludeSeen && !shopOrders;
  const terms: [string, number][] = [
    [shopOrders ? 'sig:foryou-shop' : 'sig:foryou', w.neighbours],
    [`${key}:multi`, w.profileMulti],
    [`${key}:long`, w.profileLong],
    ['pop30', w.recentPopularity],
    ['pop', w.popularity],
    // The worker's repeat term reads the shop's counts only, or the device's with excludeSeen off.
    ['rep', shopOrders || !w.excludeSeen ? w.repeat : 0],
    // The device drops hidden items from the list; here they sink below every other item.
    ['own', hideSeen ? NOT_BOUGHT : 0],
  ];
  return terms.filter(([, x]) => x !== 0);
}

// The "for you" grid the defaults were read from (cross-validated like every grid).
const FY_NEIGHBOURS = [0.3, 1, 3];
const FY_MULTI = [0, 0.3, 1];
const FY_LONG = [0, 0.3];
const FY_RECENT = [0.1, 0.3, 1];
// Device only (seen items hidden), or the shop's orders passed with or without a repeat bonus.
const FY_SEEN = [
  { shopOrders: false, repeat: 0 },
  { shopOrders: true, repeat: 0 },
  { shopOrders: true, repeat: 1 },
];

function recommenderScorers(params: ParamPoint[]): ScorerConfig[] {
  const p = blendParams(params)[0];
  if (!p) return [];
  const d = DEFAULT_RECOMMENDER;
  const s: ScorerConfig[] = [
    // The worker's weights follow the shop's repeat share, so these two are features of their own
    // (UserFeatures: forYouTerms at forYouWeights(the share as of each step)).
    {
      name: `${FOR_YOU}, shop's orders passed (engine defaults)`,
      family: `${FOR_YOU}, shop's orders passed (engine defaults)`,
      kind: 'portrait',
      terms: [['engine:foryou-shop', 1]],
      label: '',
    },
    {
      name: `${FOR_YOU}, device only (engine defaults)`,
      family: `${FOR_YOU}, device only (engine defaults)`,
      kind: 'portrait',
      terms: [['engine:foryou-device', 1]],
      label: '',
    },
    {
      name: `${RELATED} (engine defaults)`,
      family: `${RELATED} (engine defaults)`,
      kind: 'portrait',
      terms: relatedTerms(d.related),
      label: '',
    },
    {
      name: `${TOGETHER} (engine defaults)`,
      family: `${TOGETHER} (engine defaults)`,
      kind: 'baseline-no-text',
      terms: [
        ['sig:together', 1],
        ['pop', d.together.popularity],
      ],
      label: '',
    },
    // The server-side comparison: what the collector's /v1/recommendations ranks for the payload
    // this profile syncs (64 + 8 + 8 components, int8), no signals.
    {
      name: 'collector recommendations (engine defaults)',
      family: 'collector recommendations (engine defaults)',
      kind: 'portrait',
      terms: [['collector', 1]],
      label: '',
    },
    // The order log alone, no text: what the signals give without any profile.
    {
      name: 'bought next of recent items + recent popularity',
      family: 'bought next of recent items + recent popularity',
      kind: 'baseline-no-text',
      terms: [
        ['sig:foryou', 1],
        ['pop30', d.forYou.recentPopularity],
        ['pop', d.forYou.popularity],
      ],
      label: '',
    },
    // What every other customer's whole history gives, which no device receives: the ceiling the
    // order log sets (user-kNN), overall and on new items with the trending list mixed in.
    {
      name: 'customers like you',
      family: 'customers like you',
      kind: 'reference',
      terms: [['ref:customers', 1]],
      label: '',
    },
  ];
  for (const recent of CUSTOMERS_RECENT) {
    s.push({
      name: `${CUSTOMERS_NOVEL} [recent=${recent}]`,
      family: CUSTOMERS_NOVEL,
      kind: 'reference',
      terms: [
        ['ref:customers', 1],
        ['pop30', recent],
        ['own', NOT_BOUGHT],
      ],
      label: `recent=${recent}`,
    });
  }
  for (const neighbours of FY_NEIGHBOURS)
    for (const profileMulti of FY_MULTI)
      for (const profileLong of FY_LONG)
        for (const recentPopularity of FY_RECENT)
          for (const seen of FY_SEEN) {
            const w = {
              neighbours,
              profileMulti,
              profileLong,
              recentPopularity,
              popularity: 0.1,
              repeat: seen.repeat,
              excludeSeen: true,
            };
            const label = `neighbours=${neighbours} multi=${profileMulti} long=${profileLong} recent=${recentPopularity} repeat=${seen.repeat} shopOrders=${seen.shopOrders}`;
            s.push({
              name: `${FOR_YOU} [${label}]`,
              family: FOR_YOU,
              kind: 'portrait',
              terms: forYouTerms(p.key, w, seen.shopOrders),
              label,
            });
          }
  // The "related" grid its defaults were read from: the item's own signals only (neighbours,
  // text, the shop's popularity), as the worker's related reads nothing of the shopper.
  for (const neighbours of RL_NEIGHBOURS)
    for (const popularity of RL_POPULARITY) {
      const label = `neighbours=${neighbours} text=1 popularity=${popularity}`;
      s.push({
        name: `${RELATED} [${label}]`,
        family: RELATED,
        kind: 'portrait',
        terms: relatedTerms({ neighbours, text: 1, popularity }),
        label,
      });
    }
  return s;
}

const RL_NEIGHBOURS = [0.4, 0.6, 1];
const CUSTOMERS_RECENT = [0.1, 0.3, 1, 3];
const RL_POPULARITY = [0, 0.05, 0.1, 0.15];

/** The "related" blend's terms: the previous step's items' neighbours, their text, popularity. */
function relatedTerms(w: { neighbours: number; text: number; popularity: number }): [string, number][] {
  const terms: [string, number][] = [
    ['sig:related', w.neighbours],
    ['last', w.text],
    ['pop', w.popularity],
  ];
  return terms.filter(([, x]) => x !== 0);
}

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
    // A "trending" list (last 30 days), and both popularity lists with the user's own items filtered out:
    // the no-text answers to "what is new for this user".
    {
      name: 'recent popularity (30 d)',
      family: 'recent popularity (30 d)',
      kind: 'baseline-no-text',
      terms: [['pop30', 1]],
      label: '',
    },
    {
      name: 'popularity, not yet bought',
      family: 'popularity, not yet bought',
      kind: 'baseline-no-text',
      terms: [
        ['pop', 1],
        ['own', NOT_BOUGHT],
      ],
      label: '',
    },
    {
      name: 'recent popularity, not yet bought',
      family: 'recent popularity, not yet bought',
      kind: 'baseline-no-text',
      terms: [
        ['pop30', 1],
        ['own', NOT_BOUGHT],
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
  for (const wr of BLEND_RECENT) {
    for (const wo of BLEND_OWN) {
      for (const wp of BLEND_POP) {
        s.push({
          name: `${NO_TEXT_BLEND} [recent=${wr} own=${wo} pop=${wp}]`,
          family: NO_TEXT_BLEND,
          kind: 'baseline-no-text',
          terms: noTextTerms(wr, wo, wp),
          label: `recent=${wr} own=${wo} pop=${wp}`,
        });
      }
    }
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
  }
  for (const p of blendParams(params)) {
    for (const wl of BLEND_LONG) {
      for (const wi of BLEND_MULTI) {
        if (!wl && !wi) continue;
        for (const wr of BLEND_RECENT) {
          for (const wo of BLEND_OWN) {
            for (const wp of BLEND_POP) {
              // The no-text blend plus the profile's terms: the profile has to earn its weight.
              const terms = noTextTerms(wr, wo, wp);
              if (wl) terms.push([`${p.key}:long`, wl]);
              if (wi) terms.push([`${p.key}:multi`, wi]);
              const label = `${p.label} long=${wl} multi=${wi} recent=${wr} own=${wo} pop=${wp}`;
              s.push({ name: `portrait blend [${label}]`, family: 'portrait blend', kind: 'portrait', terms, label });
            }
          }
        }
      }
    }
    for (const wm of DISC_MAXSIM) {
      for (const wi of DISC_MULTI) {
        for (const wl of DISC_LONG) {
          if (!wm && !wi && !wl) continue;
          for (const wp of DISC_POP) {
            const terms: [string, number][] = [
              ['own', NOT_BOUGHT],
              ['pop30', 1],
            ];
            if (wp) terms.push(['pop', wp]);
            if (wm) terms.push(['maxsim', wm]);
            if (wi) terms.push([`${p.key}:multi`, wi]);
            if (wl) terms.push([`${p.key}:long`, wl]);
            const label = `${p.label} maxsim=${wm} multi=${wi} long=${wl} pop=${wp}`;
            s.push({ name: `${DISCOVERY} [${label}]`, family: DISCOVERY, kind: 'portrait', terms, label });
          }
        }
      }
    }
  }
  s.push(...recommenderScorers(params));
  return { etas, params, scorers: s };
}
