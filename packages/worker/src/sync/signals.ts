import {
  observeRisk,
  type ProfileState,
  parseRiskHistory,
  riskScore,
  SEGMENT_THRESHOLD,
  type SegmentMembership,
  type SegmentVector,
  segmentMembership,
  sessionDistance,
} from '@portrait/core';
import { META_PER_MODEL } from '../store/meta-keys.ts';
import type { Store } from '../store/types.ts';

type AnyStore = Store<{ modelId: string }>;

/** The session risk as the page sees it. */
export interface RiskReport {
  /** 0-254, or 255 while the owner's history is too short to judge. */
  score: number;
  /** 1 - cos(short-term, long-term). */
  distance: number;
  /** Observations the calibration rests on. */
  history: number;
}

/** The current session's risk against the owner's history, without recording it. */
export async function currentRisk(store: AnyStore, profile: ProfileState): Promise<RiskReport> {
  const h = parseRiskHistory(await store.getMeta(META_PER_MODEL.risk(profile.modelId)));
  const distance = sessionDistance(profile);
  return { score: riskScore(h, distance), distance, history: h.n };
}

/** Scores the session against the history so far, then adds it to the history (one per fold). */
export async function observeSessionRisk(store: AnyStore, profile: ProfileState): Promise<number> {
  const h = parseRiskHistory(await store.getMeta(META_PER_MODEL.risk(profile.modelId)));
  const distance = sessionDistance(profile);
  const score = riskScore(h, distance);
  await store.setMeta(META_PER_MODEL.risk(profile.modelId), JSON.stringify(observeRisk(h, distance)));
  return score;
}

/** The merchant's segment texts, embedded once per model and list (the model runs here, on the device). */
export function createSegmentVectors() {
  let cached: { key: string; vectors: SegmentVector[] } | undefined;
  return async function segmentVectors(
    texts: readonly string[],
    modelId: string,
    embed: (texts: string[]) => Promise<Float32Array[]>,
  ): Promise<SegmentVector[]> {
    const key = `${modelId}\n${texts.join('\n')}`;
    if (cached?.key !== key) {
      const vectors = texts.length ? await embed([...texts]) : [];
      cached = { key, vectors: texts.map((text, id) => ({ id, text, vector: vectors[id] as Float32Array })) };
    }
    return cached.vectors;
  };
}

export function memberships(
  profile: ProfileState,
  segments: readonly SegmentVector[],
  threshold = SEGMENT_THRESHOLD,
): SegmentMembership[] {
  return segmentMembership(profile, segments, threshold);
}
