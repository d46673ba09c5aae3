import {
  calibratedThreshold,
  NEUTRAL_ANCHORS,
  SENSITIVE_THRESHOLD,
  SENSITIVE_TOPICS,
  topicsHash,
} from '@portrait/core';
import type { ResolvedConfig } from '../engine-types.ts';
import type { Embedder } from '../model/embedder.ts';
import type { Catalogue } from './catalogue-source.ts';
import type { LabelVector, SensitiveGuard } from './profile-fold.ts';

async function embedLabels(e: Embedder, texts: readonly string[]): Promise<LabelVector[]> {
  if (texts.length === 0) return [];
  const vectors = await e.embed([...texts]);
  return texts.map((label, i) => ({ label, vector: vectors[i] as Float32Array }));
}

/** What a model needs embedded before it may fold anything: the sensitive topics and the labels. */
export async function modelGuard(
  e: Embedder,
  config: ResolvedConfig,
): Promise<{ labels: LabelVector[]; topics: NonNullable<SensitiveGuard['topics']> }> {
  const labels = await embedLabels(e, config.labels ?? []);
  const vectors =
    config.sensitiveTopics === false ? [] : await embedLabels(e, config.sensitiveTopics ?? SENSITIVE_TOPICS);
  // The threshold rises above how similar ordinary shopping text already is to the topics, so an
  // undiscriminating model does not flag everything.
  const threshold = vectors.length
    ? calibratedThreshold(
        vectors,
        await e.embed([...NEUTRAL_ANCHORS]),
        config.sensitiveThreshold ?? SENSITIVE_THRESHOLD,
      )
    : SENSITIVE_THRESHOLD;
  return { labels, topics: { vectors, threshold } };
}

/**
 * Whether a catalogue's per-item flags stand in for this device's guard: only when they were
 * computed for the very topics and threshold this device would use (the defaults).
 */
export function catalogueFlagsApply(config: ResolvedConfig, catalogue: Catalogue | undefined): boolean {
  return (
    config.sensitiveTopics === undefined &&
    config.sensitiveThreshold === undefined &&
    catalogue?.guardTopics === topicsHash(SENSITIVE_TOPICS)
  );
}
