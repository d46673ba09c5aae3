import type { ProfileState } from './profile.ts';
import { cosine } from './vector.ts';

/**
 * The owner's own history of session distances (1 - cos(short, long)), as a running mean and
 * variance (Welford), so the risk score is calibrated to this shopper: someone who always
 * browses widely does not look anomalous for doing so again.
 */
export interface RiskHistory {
  n: number;
  mean: number;
  m2: number;
}

export const EMPTY_RISK_HISTORY: RiskHistory = { n: 0, mean: 0, m2: 0 };
/** Observations needed before a score is given (255 = unknown until then). */
export const RISK_MIN_HISTORY = 5;
// A floor on the spread, so a very regular history does not turn noise into alarms.
const MIN_SD = 0.05;

/** How far the current session sits from the long-term profile: 0 (same) to 2 (opposite). */
export function sessionDistance(profile: ProfileState): number {
  return 1 - cosine(profile.short, profile.long);
}

/** Adds one observation to the history. */
export function observeRisk(h: RiskHistory, distance: number): RiskHistory {
  if (!Number.isFinite(distance)) return h;
  const n = h.n + 1;
  const delta = distance - h.mean;
  const mean = h.mean + delta / n;
  return { n, mean, m2: h.m2 + delta * (distance - mean) };
}

/**
 * The risk byte: 0 when the session is as close to the long-term profile as this owner's
 * sessions usually are (or closer), rising linearly to 254 at 4 standard deviations further
 * away; 255 while the history is too short to judge.
 */
export function riskScore(h: RiskHistory, distance: number): number {
  if (h.n < RISK_MIN_HISTORY || !Number.isFinite(distance)) return 255;
  const sd = Math.max(MIN_SD, Math.sqrt(h.m2 / (h.n - 1)));
  const z = (distance - h.mean) / sd;
  return Math.max(0, Math.min(254, Math.round((z / 4) * 254)));
}

/** Parses a stored history; anything malformed starts over. */
export function parseRiskHistory(text: string | undefined): RiskHistory {
  try {
    const h = JSON.parse(text ?? '') as RiskHistory;
    return Number.isInteger(h.n) && h.n >= 0 && Number.isFinite(h.mean) && Number.isFinite(h.m2) && h.m2 >= 0
      ? h
      : EMPTY_RISK_HISTORY;
  } catch {
    return EMPTY_RISK_HISTORY;
  }
}
