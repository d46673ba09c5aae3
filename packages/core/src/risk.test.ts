import { describe, expect, it } from 'vitest';
import { createProfile, type ProfileState } from './profile.ts';
import { updateProfile } from './profile-update.ts';
import {
  EMPTY_RISK_HISTORY,
  observeRisk,
  parseRiskHistory,
  type RiskHistory,
  riskScore,
  sessionDistance,
} from './risk.ts';
import { axis, DIM, event, near, rng } from './test-helpers.ts';

const DAY = 86_400_000;

describe('risk score (session anomaly, calibrated to the owner)', () => {
  it('stays low for the owner’s own sessions and flags a spliced session of another user', () => {
    const rand = rng(4);
    const ownerTopics = [axis(0), axis(1), axis(2)];
    const otherTopics = [axis(9), axis(10)];
    let p: ProfileState = createProfile('m', DIM);
    let h: RiskHistory = EMPTY_RISK_HISTORY;
    let ts = 1_780_000_000_000;
    const session = (topics: Float32Array[]) => {
      ts += DAY;
      for (let i = 0; i < 8; i++) {
        ts += 60_000;
        const topic = topics[Math.floor(rand() * topics.length)] as Float32Array;
        p = updateProfile(p, near(topic, 0.3, rand), event('view', ts)) ?? p;
      }
      return sessionDistance(p);
    };
    const ownScores: number[] = [];
    for (let s = 0; s < 20; s++) {
      const d = session(ownerTopics);
      if (s >= 10) ownScores.push(riskScore(h, d));
      h = observeRisk(h, d);
    }
    // The same owner, a later day: still low.
    const own = riskScore(h, session(ownerTopics));
    const spliced = riskScore(h, session(otherTopics));
    expect(Math.max(...ownScores, own)).toBeLessThan(100);
    expect(spliced).toBeGreaterThanOrEqual(200);
  });

  it('is unknown (255) until there is a history, and parses stored histories defensively', () => {
    expect(riskScore(EMPTY_RISK_HISTORY, 0.5)).toBe(255);
    let h = EMPTY_RISK_HISTORY;
    for (const d of [0.1, 0.2, 0.1, 0.2, 0.15]) h = observeRisk(h, d);
    expect(riskScore(h, 0.15)).toBe(0);
    expect(parseRiskHistory(JSON.stringify(h))).toEqual(h);
    expect(parseRiskHistory('{"n":-1}')).toEqual(EMPTY_RISK_HISTORY);
    expect(parseRiskHistory(undefined)).toEqual(EMPTY_RISK_HISTORY);
  });
});
