import { fnv1a32 } from './hash.ts';
import type { ProfileState } from './profile.ts';
import { cosine, isFiniteVector, norm } from './vector.ts';

/** A text label (category name, sensitive topic) with its embedding in the profile's model space. */
export interface LabelVector {
  label: string;
  vector: Float32Array;
}

/** One line of an explanation: a label and its share of the profile; shares sum to 1. */
export interface ExplainedInterest {
  label: string;
  weight: number;
}

/** How `explain` mixes its sources. */
export interface ExplainOptions {
  /** Share of the interest centroids (split by their weights); the rest goes to long and short. */
  interestShare: number;
  /** Share of the long-term vector; the short-term vector gets what is left. */
  longShare: number;
  /** Softmax temperature over cosine similarities: 0.05 makes a 0.1 lead in cosine worth ~7x. */
  temperature: number;
}

export const DEFAULT_EXPLAIN_OPTIONS = {
  interestShare: 0.6,
  longShare: 0.2,
  temperature: 0.05,
} as const satisfies ExplainOptions;

/**
 * The profile's top-k interests as the nearest labels. Each source (every centroid, weighted by its
 * share of centroid weight; the long-term and the short-term vector) spreads its share over the
 * labels by a softmax of cosine similarity, so a label gets weight from the interests it names.
 * Returns at most k labels, best first, weights summing to 1; [] when there is nothing to explain.
 */
export function explain(
  state: ProfileState,
  labels: readonly LabelVector[],
  k: number,
  options: ExplainOptions = DEFAULT_EXPLAIN_OPTIONS,
): ExplainedInterest[] {
  const usable = labels.filter((l) => l.vector.length === state.dim && isFiniteVector(l.vector) && norm(l.vector) > 0);
  const top = Math.floor(k);
  if (usable.length === 0 || !(top >= 1)) return [];

  const sources: { vector: Float32Array; share: number }[] = [];
  const total = state.interests.reduce((s, c) => s + c.weight, 0);
  if (total > 0) {
    for (const c of state.interests)
      sources.push({ vector: c.vector, share: (options.interestShare * c.weight) / total });
  }
  if (norm(state.long) > 0) sources.push({ vector: state.long, share: options.longShare });
  if (norm(state.short) > 0) {
    sources.push({ vector: state.short, share: Math.max(0, 1 - options.interestShare - options.longShare) });
  }

  const t = options.temperature > 0 ? options.temperature : DEFAULT_EXPLAIN_OPTIONS.temperature;
  const scores = new Float64Array(usable.length);
  for (const s of sources) {
    if (!(s.share > 0)) continue;
    const logits = usable.map((l) => cosine(s.vector, l.vector) / t);
    const max = Math.max(...logits);
    const exps = logits.map((x) => Math.exp(x - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    exps.forEach((x, i) => {
      scores[i] = (scores[i] as number) + (s.share * x) / sum;
    });
  }
  const ranked = usable
    .map((l, i) => ({ label: l.label, weight: scores[i] as number }))
    .filter((r) => Number.isFinite(r.weight) && r.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .slice(0, top);
  const sum = ranked.reduce((s, r) => s + r.weight, 0);
  return sum > 0 ? ranked.map((r) => ({ label: r.label, weight: r.weight / sum })) : [];
}

/**
 * The sensitive topic an embedding is closest to, if its cosine similarity reaches `threshold`;
 * such events are never folded into the profile.
 */
export function sensitiveTopic(
  embedding: Float32Array,
  topics: readonly LabelVector[],
  threshold: number = SENSITIVE_THRESHOLD,
): string | undefined {
  let best: { label: string; similarity: number } | undefined;
  for (const t of topics) {
    if (t.vector.length !== embedding.length) continue;
    const similarity = cosine(embedding, t.vector);
    if (!best || similarity > best.similarity) best = { label: t.label, similarity };
  }
  return best && best.similarity >= threshold ? best.label : undefined;
}

/**
 * Cosine similarity at which an event counts as sensitive. A starting point only: sentence
 * encoders differ in how high unrelated pairs score, so calibrate it with the shipped encoder on
 * real catalogue items (too low blocks ordinary pharmacy or book items, too high lets topics through).
 */
export const SENSITIVE_THRESHOLD = 0.5;

/**
 * Descriptive phrases of the categories kept out of profiles (health, religion, sexuality,
 * politics, financial hardship), in the spirit of the Topics API's excluded categories. The worker
 * embeds them once; an event closest to one of them above the threshold is not folded.
 */
export const SENSITIVE_TOPICS = [
  // Health conditions
  'medical condition, illness diagnosis and treatment',
  'mental health, depression, anxiety and therapy',
  'pregnancy test, fertility treatment and reproductive health',
  'cancer, HIV, diabetes and chronic disease medication',
  'addiction recovery, alcohol and drug rehabilitation',
  // Religion
  'religious belief, church, mosque, synagogue and temple worship',
  'prayer books, scripture and religious practice',
  // Sexuality
  'sexual orientation, gay, lesbian, bisexual and transgender identity',
  'sexual health, sex toys and adult intimacy products',
  // Politics
  'political party, election campaign and political views',
  'political activism, protest and partisan merchandise',
  // Financial hardship
  'debt relief, payday loans and bankruptcy',
  'financial hardship, unemployment benefits and food bank',
] as const;

/**
 * Ordinary shopping phrases, used to calibrate the sensitive-topic threshold per model: an encoder
 * that scores everything as similar (a small or untrained model) would otherwise flag every event.
 */
export const NEUTRAL_ANCHORS = [
  'running shoes for road and trail',
  'stainless steel frying pan',
  'wireless headphones with noise cancelling',
  'garden hose and watering can',
  'wooden toy train set for children',
  'scented candle gift set',
  'office chair with lumbar support',
  'dog lead and collar',
] as const;

/**
 * The threshold actually applied for one model: the configured one, raised above how similar
 * ordinary shopping text already is to the topics under this model (plus a margin).
 */
export function calibratedThreshold(
  topics: readonly LabelVector[],
  anchors: readonly Float32Array[],
  configured = SENSITIVE_THRESHOLD,
  margin = 0.1,
): number {
  let neutral = Number.NEGATIVE_INFINITY;
  for (const a of anchors) for (const t of topics) neutral = Math.max(neutral, cosine(a, t.vector));
  return Number.isFinite(neutral) ? Math.max(configured, neutral + margin) : configured;
}

/** Names a sensitive-topic list: a device uses a catalogue's sensitive flags only if it guards the same topics. */
export const topicsHash = (topics: readonly string[]): string => (fnv1a32(topics.join('\n')) >>> 0).toString(16);
