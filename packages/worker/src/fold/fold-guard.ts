import { calibratedThreshold, NEUTRAL_ANCHORS, SENSITIVE_THRESHOLD, SENSITIVE_TOPICS } from '@portrait/core';
import type { ResolvedConfig } from '../engine-types';
import type { Embedder } from '../model/embedder';
import type { LabelVector } from './profile-fold';

/** What a model needs embedded before it may fold anything: the sensitive-topic guard and the labels. */
export interface FoldGuard {
  labels: LabelVector[];
  topics: LabelVector[];
  topicThreshold: number;
}

async function embedLabels(e: Embedder, texts: readonly string[]): Promise<LabelVector[]> {
  if (texts.length === 0) return [];
  const vectors = await e.embed([...texts]);
  return texts.map((label, i) => ({ label, vector: vectors[i] as Float32Array }));
}

export async function prepareGuard(e: Embedder, config: ResolvedConfig): Promise<FoldGuard> {
  const labels = await embedLabels(e, config.labels ?? []);
  const topics =
    config.sensitiveTopics === false ? [] : await embedLabels(e, config.sensitiveTopics ?? SENSITIVE_TOPICS);
  // The threshold rises above how similar ordinary shopping text already is to the topics, so an
  // undiscriminating model does not flag everything.
  const topicThreshold = topics.length
    ? calibratedThreshold(topics, await e.embed([...NEUTRAL_ANCHORS]), config.sensitiveThreshold ?? SENSITIVE_THRESHOLD)
    : SENSITIVE_THRESHOLD;
  return { labels, topics, topicThreshold };
}
